"""The static preview's answers: a request path against the project's files -> a response.

Pure (runs under CPython for the tests). The preview origin's service worker forwards each
request of /preview/<sid>/<path> to the IDE page, which answers with `answer(...)` from the
workbench's model, so the preview always shows the current, even unsaved, files. Only reads
are possible: the preview is other people's code and may script its relay (see
server/preview_site.py), so nothing here can change a file or reach another project.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from contract.media_types import media_type


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class AppAnswer:
    """An app's own answer, passed on: its headers as [name, value] pairs, since a name
    may repeat (the page's Response takes pairs as well as a dict)."""

    status: int
    headers: list[list[str]]
    body: bytes


def _clean(raw_path: str) -> str | None:
    """'/a%20b/c.html' -> 'a b/c.html'; None for anything that tries to leave the project."""
    parts = unquote(raw_path).split("/")
    if any(part in (".", "..") or "\\" in part or "\x00" in part for part in parts):
        return None
    return "/".join(parts).lstrip("/")


def answer(method: str, raw_path: str, read: Callable[[str], bytes | None]) -> Answer:
    """Answer a GET/HEAD of `raw_path` (as the URL has it, below /preview/<sid>) with the
    file `read(project_path)` gives: index.html for folders, the project's 404.html or ours
    when missing."""
    if method not in ("GET", "HEAD"):
        return Answer(
            405,
            {"allow": "GET, HEAD", "content-type": "text/plain; charset=utf-8"},
            b"A static preview only answers GET and HEAD.",
        )
    name = _clean(raw_path)
    if name is None:
        return _not_found(raw_path, read)
    wanted = name + "index.html" if name == "" or name.endswith("/") else name
    content = read(wanted)
    if content is not None:
        # no-store: an edit must show at the next reload, never a cached copy.
        return Answer(
            200, {"content-type": media_type(wanted), "cache-control": "no-store"}, content
        )
    if not name.endswith("/") and name and read(name + "/index.html") is not None:
        # A folder asked for without its slash: send it there, so relative links resolve.
        last = name.rsplit("/", 1)[-1]
        return Answer(301, {"location": f"{last}/", "cache-control": "no-store"})
    return _not_found(raw_path, read)


def _not_found(raw_path: str, read: Callable[[str], bytes | None]) -> Answer:
    headers = {"content-type": "text/html; charset=utf-8", "cache-control": "no-store"}
    own = read("404.html")
    if own is not None:
        return Answer(404, headers, own)
    shown = html.escape(unquote(raw_path))
    page = (
        "<!doctype html><meta charset=utf-8><title>404 Not Found</title>"
        "<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#333}</style>"
        f"<h1>404 Not Found</h1><p>The project has no file at <code>{shown}</code>.</p>"
    )
    return Answer(404, headers, page.encode("utf-8"))
