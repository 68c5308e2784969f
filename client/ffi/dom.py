"""Small DOM helpers. Text is always set as text, never parsed as HTML."""

from __future__ import annotations

from typing import Any

import js  # type: ignore[import-not-found]


def element(tag: str, text: str = "", **attrs: str) -> Any:
    node = js.document.createElement(tag)
    if text:
        node.textContent = text
    for name, value in attrs.items():
        node.setAttribute(name.rstrip("_").replace("_", "-"), value)
    return node


def by_id(element_id: str) -> Any:
    return js.document.getElementById(element_id)


def cross_origin_isolated() -> bool:
    return bool(getattr(js, "crossOriginIsolated", False))
