"""Python values to JS and back, without leaving proxies behind: dicts become plain JS
objects, bytes become Uint8Array copies, so nothing needs destroying afterwards."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

import js
from pyodide.ffi import JsProxy, jsnull, to_js

if TYPE_CHECKING:
    from pyodide.ffi import JsArray


def to_object(value: Any) -> Any:
    return to_js(value, dict_converter=js.Object.fromEntries)


def to_python(value: Any) -> Any:
    """A JS value as plain Python: objects -> dict, arrays -> list, Uint8Array -> bytes."""
    if value is jsnull:
        return None
    if isinstance(value, JsProxy):
        if value.typeof == "object" and js.ArrayBuffer.isView(value):
            return value.to_bytes()
        if _is_array(value):
            return [to_python(item) for item in value]
        if value.typeof == "object":
            return {str(k): to_python(getattr(value, k)) for k in js.Object.keys(value)}
        return value.to_py()
    return value


def _is_array(value: JsProxy) -> TypeGuard[JsArray]:
    return bool(js.Array.isArray(value))
