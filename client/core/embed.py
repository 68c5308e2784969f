"""Embeds (/embed in another site's iframe): their URL parameters, who may drive them by
postMessage, the snippet the Share dialog hands out, and the in-memory project they edit.

Pure Python. An embed never signs in and never touches the owner's storage: its files come
from a share link (a saved revision, read through GET /api/shares/<token>) or from the host
page, and live in `MemoryProjectApi`, which plays the server's part of the sync protocol in
memory, so the whole workbench (tree, editor, runtime, preview) works on them unchanged.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from client.core.model import ServerFile, sha256_hex
from client.core.ports import Refused, ServerSnapshot, SyncOps, SyncParts

PROTOCOL = 1  # messages carry {"cospai": 1, "type": ...}; a later version bumps it
PANELS = ("tree", "editor", "terminal", "preview")
THEMES = ("auto", "light", "dark")
COMMANDS = ("set-files", "open-file", "run", "get-files")
EVENTS = ("ready", "change", "run-exit", "files", "error")


def origin_of(raw: str) -> str | None:
    """'https://Example.com:443/x' -> 'https://example.com'; None if not an http(s) origin."""
    try:
        parts = urlsplit(raw.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    suffix = f":{port}" if port and port != default else ""
    return f"{parts.scheme}://{host}{suffix}"


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


@dataclass(frozen=True)
class EmbedOptions:
    share: str | None = None  # a share link's token; None: the host page sends the files
    file: str | None = None  # the file to open first
    read_only: bool = False
    theme: str = "auto"
    panels: tuple[str, ...] = PANELS
    run: bool = False  # run the file (or the main one) once the runtime is ready
    origins: tuple[str, ...] = ()  # host pages allowed to drive the embed by postMessage

    @classmethod
    def from_query(cls, query: dict[str, str]) -> EmbedOptions:
        theme = query.get("theme", "auto").lower()
        panels = tuple(
            p
            for p in PANELS
            if p in {x.strip().lower() for x in query.get("panels", "").split(",")}
        )
        origins = tuple(o for o in (origin_of(x) for x in query.get("origins", "").split(",")) if o)
        share = query.get("share", "").strip()
        return cls(
            share=share if share.replace("-", "").replace("_", "").isalnum() else None,
            file=query.get("file") or None,
            read_only=_flag(query.get("readonly"), False),
            theme=theme if theme in THEMES else "auto",
            panels=panels or PANELS,
            run=_flag(query.get("run"), False),
            origins=origins,
        )

    def query(self) -> str:
        """The URL query that gives these options back (for the snippet)."""
        items: list[tuple[str, str]] = []
        if self.share:
            items.append(("share", self.share))
        if self.file:
            items.append(("file", self.file))
        if self.read_only:
            items.append(("readonly", "1"))
        if self.theme != "auto":
            items.append(("theme", self.theme))
        if tuple(self.panels) != PANELS:
            items.append(("panels", ",".join(self.panels)))
        if self.run:
            items.append(("run", "1"))
        if self.origins:
            items.append(("origins", ",".join(self.origins)))
        return "&".join(f"{k}={quote(v, safe='/,:')}" for k, v in items)


def allowed_origins(asked: tuple[str, ...], configured: tuple[str, ...]) -> frozenset[str]:
    """Who may send commands. With a server list (COSPAI_EMBED_ORIGINS), the `origins=`
    parameter can only narrow it; without one, the parameter alone decides. Empty: nobody
    (the embed is then only a viewer; it sends no events either)."""
    if configured:
        chosen = [o for o in asked if o in configured] if asked else list(configured)
        return frozenset(chosen)
    return frozenset(asked)


def command(data: Any, origin: str, allowed: frozenset[str]) -> dict[str, Any] | None:
    """The message as a command, or None when it must be ignored (another origin, another
    protocol, an unknown type)."""
    if origin not in allowed or not isinstance(data, dict):
        return None
    if data.get("cospai") != PROTOCOL or data.get("type") not in COMMANDS:
        return None
    return data


def snippet(ide_origin: str, options: EmbedOptions, height: int = 480) -> str:
    src = f"{ide_origin}/embed" + (f"?{options.query()}" if options.query() else "")
    return (
        f'<iframe src="{html.escape(src)}" width="100%" height="{height}" '
        'style="border:0;border-radius:6px" '
        'allow="cross-origin-isolated; clipboard-write" loading="lazy" '
        'title="CosPAI IDE"></iframe>'
    )


# ------------------------------------------------------------ the embed's own "server"


@dataclass(frozen=True)
class _Stored:
    version: int
    content: bytes
    binary: bool
    sha256: str  # hashed once, when stored: load() and blob() read it for every file


def _stored(version: int, content: bytes, binary: bool) -> _Stored:
    return _Stored(version, content, binary, sha256_hex(content))


@dataclass
class MemoryProjectApi:
    """The sync protocol's server side over a dict: every push is accepted (one client)."""

    files: dict[str, _Stored] = field(default_factory=dict)
    version: int = 0

    def replace(self, files: dict[str, tuple[bytes, bool]]) -> None:
        """Start over with these files (path -> (content, binary))."""
        self.version += 1
        self.files = {p: _stored(self.version, c, b) for p, (c, b) in files.items()}

    # The server's runtime settings (where the sandbox is), fetched by the embed's start:
    # the only server answer an embed's workbench asks this API for.
    runtime_config: dict[str, Any] | None = None

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        if method == "GET" and path == "/runtime-config" and self.runtime_config is not None:
            return self.runtime_config
        raise Refused(404, "not_found", "an embed has no server project", {})

    async def load(self, project_id: str, etag: str | None) -> ServerSnapshot | None:
        tag = f'"embed-{self.version}"'
        if etag == tag:
            return None
        files = [
            ServerFile(
                p, f.version, f.sha256, f.binary, len(f.content), None if f.binary else f.content
            )
            for p, f in sorted(self.files.items())
        ]
        return ServerSnapshot(self.version, tag, files)

    async def blob(self, project_id: str, sha256: str) -> bytes:
        for stored in self.files.values():
            if stored.sha256 == sha256:
                return stored.content
        raise Refused(404, "not_found", "no such content", {})

    async def sync(
        self, project_id: str, ops: SyncOps, parts: SyncParts, revision_message: str | None
    ) -> dict[str, Any]:
        self.version += 1
        results = []
        for index, op in enumerate(ops):
            path, kind = str(op["path"]), op["op"]
            result: dict[str, Any] = {
                "index": index,
                "status": "ok",
                "path": path,
                "version": self.version,
            }
            if kind == "put":
                ref = op.get("content_ref")
                content = parts[ref] if ref else str(op.get("content", "")).encode("utf-8")
                stored = _stored(self.version, content, bool(op.get("binary")))
                self.files[path] = stored
                result["sha256"] = stored.sha256
            elif kind == "delete":
                self.files.pop(path, None)
            elif kind == "rename":
                moved = self.files.pop(path, None)
                target = str(op["to"])
                if moved is not None:
                    self.files[target] = _Stored(
                        self.version, moved.content, moved.binary, moved.sha256
                    )
                result["path"] = target
            results.append(result)
        return {"version": self.version, "results": results, "revision": None}

    def texts(self) -> dict[str, str]:
        return {p: f.content.decode("utf-8") for p, f in sorted(self.files.items()) if not f.binary}
