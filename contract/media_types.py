"""The media type a file is served with, by its name: one table for the server's static
site and share links and for the browser's static preview. Explicit, because Pyodide has no
/etc/mime.types, and a wrong type breaks modules and stylesheets."""

from __future__ import annotations

import mimetypes

TYPES = {
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "mjs": "text/javascript; charset=utf-8",
    "json": "application/json",
    "map": "application/json",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "py": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xml": "application/xml",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "ico": "image/x-icon",
    "wasm": "application/wasm",
    "zip": "application/zip",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "pdf": "application/pdf",
}
UNKNOWN = "application/octet-stream"


def suffix(path: str) -> str:
    """'a/b.Min.JS' -> 'js'; '' when the file name has no dot."""
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def media_type(path: str) -> str:
    """The table's type, else the standard library's guess, else octet-stream."""
    known = TYPES.get(suffix(path))
    if known is not None:
        return known
    return mimetypes.guess_type(path.rsplit("/", 1)[-1])[0] or UNKNOWN
