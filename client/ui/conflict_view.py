"""Conflicts: a banner listing them, and a side-by-side view to choose mine, theirs, or an
edited merge. Nothing is overwritten without that choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from client.core.conflicts import Conflict
from client.core.engine import ProjectSync
from client.core.tasks import spawn
from client.ffi import dom
from client.ffi.events import Listeners
from client.ffi.monaco import DiffView


def _text(content: bytes | None, gone: str) -> str:
    if content is None:
        return gone
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return f"(binary content, {len(content)} bytes)"


class ConflictBanner:
    """The strip above the editor that says how many conflicts wait, with their files."""

    def __init__(self, host: Any, on_pick: Callable[[str], None]) -> None:
        self.node = dom.element(
            "div", class_="conflict-banner", id="conflict-banner", role="status"
        )
        host.prepend(self.node)
        self.on_pick = on_pick
        self.listeners = Listeners()

    def show(self, conflicts: dict[str, Conflict]) -> None:
        self.listeners.dispose()
        if not conflicts:
            if not self.node.hidden:  # most renders have none: no DOM write, no frame
                self.node.replaceChildren()
                self.node.hidden = True
            return
        self.node.hidden = False
        label = dom.element(
            "span",
            f"{len(conflicts)} file(s) changed here and on the "
            "server. Choose which version to keep:",
        )
        items = [label]
        for path in sorted(conflicts):
            button = dom.element("button", path, class_="link conflict-file", data_path=path)

            def picked(_e: Any, p: str = path) -> None:
                self.on_pick(p)

            self.listeners.on(button, "click", picked)
            items.append(button)
        self.node.replaceChildren(*items)

    def dispose(self) -> None:
        self.listeners.dispose()


class ConflictResolver:
    """The side-by-side view for one conflict, over the editor until a choice is made."""

    def __init__(
        self,
        host: Any,
        monaco: Any,
        sync: ProjectSync,
        conflict: Conflict,
        done: Callable[[], None],
    ) -> None:
        self.sync, self.conflict, self.done = sync, conflict, done
        self.listeners = Listeners()
        self.node = dom.element("section", class_="conflict-view", id="conflict-view")
        bar = dom.element("div", class_="conflict-actions")
        bar.append(
            dom.element("strong", conflict.path),
            dom.element(
                "span", "Left: the server's version. Right: yours (editable).", class_="muted"
            ),
        )
        for label, choice in [
            ("Keep mine", "mine"),
            ("Take theirs", "theirs"),
            ("Use the edited right side", "merged"),
        ]:
            button = dom.element("button", label, data_choice=choice)

            def chosen(_e: Any, c: str = choice) -> None:
                self._choose(c)

            self.listeners.on(button, "click", chosen)
            bar.append(button)
        box = dom.element("div", class_="diff-box")
        self.node.append(bar, box)
        host.append(self.node)
        self.view = DiffView(
            monaco,
            box,
            conflict.path,
            _text(conflict.theirs, "(deleted on the server)"),
            _text(conflict.mine, "(deleted here)"),
        )

    def _choose(self, choice: str) -> None:
        merged = self.view.merged_text().encode("utf-8") if choice == "merged" else None
        spawn(self._resolve(choice, merged), "resolve the conflict")

    async def _resolve(self, choice: str, merged: bytes | None) -> None:
        await self.sync.resolve(self.conflict.path, choice, merged)
        self.dispose()
        self.done()

    def dispose(self) -> None:
        self.listeners.dispose()
        self.view.dispose()
        self.node.remove()
