"""Importing our ES modules (client/glue, vendored libraries) from Python."""

from __future__ import annotations

from typing import Any

import js

_import = js.Function.new("url", "return import(url)")
_cache: dict[str, Any] = {}


def asset_url(group: str, relative: str) -> str:
    """Absolute URL of a file inside a versioned asset group (e.g. 'client', 'glue/idb.mjs')."""
    base = getattr(js.cospaiBoot.assets, group)
    return str(js.URL.new(f"{base}{relative}", js.document.baseURI).href)  # <base href>


async def load(url: str) -> Any:
    if url not in _cache:
        # The boot loader may have started this import already (index.html, boot.early).
        early = js.cospaiBoot.early.get(url) if hasattr(js.cospaiBoot, "early") else None
        _cache[url] = await (early if early is not None else _import(url))
    return _cache[url]


def use_styles(name: str) -> None:
    """Load client/styles/<name>.css once (each view brings its own stylesheet)."""
    from client.ffi import dom

    dom.add_stylesheet(asset_url("client", f"styles/{name}.css"))
