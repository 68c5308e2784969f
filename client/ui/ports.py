"""What views ask of the workbench, in small pieces. Each view names what it needs in a
Protocol of its own, made of these (FileTree's TreeBench, SearchView's SearchBench...):
a view sees only that much of the workbench, and the type checker proves the workbench
offers it. The workbench is the only implementation; an embed's is a subclass.

Plain attributes are the workbench's own, set once; what it hands out through a narrower
type (its server, its sync link, the model the engine replaces) is a property.
"""

from __future__ import annotations

from typing import Any, Protocol

from client.core.commands import CommandRegistry
from client.core.model import ProjectModel
from client.ffi.events import Listeners
from client.ui.layout_view import LayoutView
from contract.rules import SyncRules


class ProjectFiles(Protocol):
    """The open project's files as they are now (read each time: the sync engine replaces
    the model when the project opens), and the rules that say which never sync."""

    project_id: str
    rules: SyncRules

    @property
    def model(self) -> ProjectModel: ...


class Opening(Protocol):
    """Which file the editor shows, and showing another."""

    def open_file(self, path: str, line: int | None = None, column: int | None = None) -> None: ...

    def active_path(self) -> str | None: ...


class Notices(Protocol):
    def notify(self, text: str, level: str = "info") -> None:
        """A short message in the status bar; errors stay until the next message."""


class Frame(Protocol):
    """The page around the views: panels and sidebar, the command registry, and the
    listeners that live as long as the workbench."""

    layout: LayoutView
    commands: CommandRegistry
    listeners: Listeners


class ServerCalls(Protocol):
    """Plain calls to the project's server (an embed's in-memory one answers too)."""

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any: ...


class Syncing(Protocol):
    """Where the user's edits are on their way to the server (sync_link.SyncLink)."""

    def pending(self) -> bool: ...

    def settled(self) -> bool: ...

    def save(self, revision_message: str | None = None) -> None: ...

    async def push(self) -> None: ...

    def take_runtime_paths(self) -> list[str]: ...


class Saving(Protocol):
    """The sync link, for views that send the edits before they act (share, download)."""

    @property
    def syncing(self) -> Syncing: ...


class Server(Protocol):
    @property
    def api(self) -> ServerCalls: ...
