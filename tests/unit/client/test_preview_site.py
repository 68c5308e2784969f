"""client/core/preview_site.py: what the static preview answers for a path."""

from __future__ import annotations

from client.core.preview_site import answer
from contract.media_types import media_type

FILES = {
    "index.html": b"<h1>home</h1>",
    "docs/index.html": b"<h1>docs</h1>",
    "css/site.css": b"body{}",
    "app.mjs": b"export {}",
    "img/logo.png": b"\x89PNG\r\n",
    "a b.txt": b"spaced",
    "data.unknownext": b"\x00\x01",
}


def read(path: str) -> bytes | None:
    return FILES.get(path)


def test_files_with_their_types() -> None:
    page = answer("GET", "/", read)
    assert (page.status, page.body) == (200, b"<h1>home</h1>")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-store"
    assert answer("GET", "/css/site.css", read).headers["content-type"].startswith("text/css")
    assert answer("GET", "/app.mjs", read).headers["content-type"].startswith("text/javascript")
    logo = answer("HEAD", "/img/logo.png", read)
    assert (logo.headers["content-type"], logo.body) == ("image/png", b"\x89PNG\r\n")
    assert answer("GET", "/a%20b.txt", read).body == b"spaced"
    assert media_type("data.unknownext") == "application/octet-stream"
    assert media_type("Makefile") == "application/octet-stream"


def test_folders_get_their_index_and_a_slash() -> None:
    assert answer("GET", "/docs/", read).body == b"<h1>docs</h1>"
    moved = answer("GET", "/docs", read)
    assert (moved.status, moved.headers["location"]) == (301, "docs/")


def test_missing_files_and_escapes_are_404() -> None:
    for path in ("/nope.html", "/../secret", "/docs/../../x", "/%2e%2e/x", "/a\\b"):
        missing = answer("GET", path, read)
        assert missing.status == 404, path
        assert b"404 Not Found" in missing.body
    shown = answer("GET", "/<script>", read).body
    assert b"<script>" not in shown and b"&lt;script&gt;" in shown
    own = answer("GET", "/nope", lambda p: b"custom" if p == "404.html" else None)
    assert (own.status, own.body) == (404, b"custom")


def test_only_reads() -> None:
    refused = answer("POST", "/index.html", read)
    assert refused.status == 405
    assert refused.headers["allow"] == "GET, HEAD"
