"""Bytes as object URLs (an <img> of a project image, a download link). The caller
revokes what it made once the view goes, so no blob outlives its use."""

from __future__ import annotations

import js

from client.ffi import dom
from client.ffi.convert import to_object


def object_url(content: bytes, mime: str) -> str:
    data = js.Uint8Array.new(len(content))
    data.assign(content)
    blob = js.Blob.new(to_object([data]), to_object({"type": mime or "application/octet-stream"}))
    return str(js.URL.createObjectURL(blob))


def revoke(url: str) -> None:
    js.URL.revokeObjectURL(url)


def download(name: str, url: str) -> None:
    dom.element("a", href=url, download=name).click()
