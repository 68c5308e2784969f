"""Files in and out of the page for the file tree: what was dropped from the desktop (files
and whole folders), files picked with <input type=file>, downloads, and the clipboard.

JS File objects stay behind `Incoming`: callers see relative paths and sizes, and read one
file's bytes at a time, so a dropped folder is never in memory twice.
"""

from __future__ import annotations

import asyncio
from typing import Any

import js
from pyodide.ffi import create_once_callable, to_js

from client.core.tasks import spawn
from client.ffi.convert import to_object
from client.ffi.dom import present


class Incoming:
    """(relative path, File) pairs; a dropped folder 'app' gives 'app/src/main.py'."""

    def __init__(self, files: list[tuple[str, Any]]) -> None:
        self.files = files

    def entries(self) -> list[tuple[str, int]]:
        return [(path, int(file.size)) for path, file in self.files]

    async def read(self, index: int) -> bytes:
        buffer = await self.files[index][1].arrayBuffer()
        return bytes(buffer.to_bytes())


def has_files(data_transfer: Any) -> bool:
    """During dragover only the types can be read: is something from the desktop coming?"""
    return present(data_transfer) and "Files" in list(data_transfer.types)


def take_dropped(data_transfer: Any) -> list[Any]:
    """The drop's entries, taken now: the browser empties the DataTransfer once the drop
    handler returns, so this must run synchronously inside it. Items without a file
    system entry (a page-made DataTransfer) come as plain File objects."""
    taken: list[Any] = []
    items = data_transfer.items
    for i in range(int(items.length)):
        item = items[i]
        if str(item.kind) != "file":
            continue
        entry = item.webkitGetAsEntry() if hasattr(item, "webkitGetAsEntry") else None
        if present(entry):
            taken.append(entry)
        else:
            file = item.getAsFile()
            if present(file):
                taken.append(file)
    return taken


async def collect(taken: list[Any]) -> Incoming:
    """Walk dropped folders (FileSystemDirectoryEntry) down to their files."""
    found: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any]] = [("", item) for item in reversed(taken)]
    while stack:
        prefix, item = stack.pop()
        if not hasattr(item, "isDirectory"):  # a File
            found.append((prefix + str(item.name), item))
        elif item.isDirectory:
            children = await _read_all(item.createReader())
            stack.extend((f"{prefix}{item.name}/", child) for child in reversed(children))
        elif item.isFile:
            file = await _callback_promise(item.file)
            found.append((prefix + str(item.name), file))
    return Incoming(found)


def picked(input_element: Any) -> Incoming:
    files = input_element.files
    chosen = [files.item(i) for i in range(int(files.length))]
    input_element.value = ""  # so choosing the same files again still fires "change"
    return Incoming([(str(f.name), f) for f in chosen])


async def _read_all(reader: Any) -> list[Any]:
    """readEntries gives at most 100 entries per call: call until it gives none."""
    entries: list[Any] = []
    while True:
        batch = await _callback_promise(reader.readEntries)
        if int(batch.length) == 0:
            return entries
        entries.extend(batch[i] for i in range(int(batch.length)))


def _callback_promise(method: Any) -> Any:
    """A promise for an old callback API, method(success, failure). The executor runs
    once, synchronously, so a once-callable proxy frees itself."""
    return js.Promise.new(create_once_callable(lambda resolve, reject: method(resolve, reject)))


def save_bytes(name: str, content: bytes, mime: str = "application/octet-stream") -> None:
    """Download bytes made here as a file called `name`."""
    blob = js.Blob.new([to_js(content)], to_object({"type": mime}))
    url = str(js.URL.createObjectURL(blob))
    save_url(url, name)
    spawn(_revoke_later(url), "release a download's address")


def save_url(url: str, name: str = "") -> None:
    """Download what a same-origin URL answers (the server names it when `name` is '')."""
    link = js.document.createElement("a")
    link.href = url
    link.setAttribute("download", name)
    link.hidden = True
    js.document.body.append(link)
    link.click()
    link.remove()


async def _revoke_later(url: str) -> None:
    # Revoking at once can cancel the download before the browser has read the blob.
    await asyncio.sleep(30)
    js.URL.revokeObjectURL(url)


async def copy_text(text: str) -> bool:
    try:
        await js.navigator.clipboard.writeText(text)
    except Exception:  # no permission, or not a secure context
        return False
    return True
