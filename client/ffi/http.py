"""fetch() from Python: same-origin, cookies included, bytes in and out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import JsException, to_js  # type: ignore[import-not-found]

from client.ffi.convert import to_object


class NetworkError(Exception):
    """fetch() rejected: offline, server gone, or the request never left the browser."""


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        import json

        return json.loads(self.body) if self.body else None


async def fetch(
    method: str, url: str, *, headers: dict[str, str] | None = None,
    body: bytes | str | None = None, parts: list[tuple[str, bytes | str]] | None = None,
) -> HttpResponse:  # fmt: skip
    """`parts` makes a multipart/form-data body: (name, text) fields and (name, bytes) files."""
    options: dict[str, Any] = {"method": method, "credentials": "same-origin",
                               "headers": dict(headers or {}), "cache": "no-store"}  # fmt: skip
    if parts is not None:
        form = js.FormData.new()
        for name, value in parts:
            if isinstance(value, bytes):
                form.append(name, js.Blob.new([to_js(value)]), name)
            else:
                form.append(name, value)
        options["body"] = form
    elif body is not None:
        options["body"] = to_js(body) if isinstance(body, bytes) else body
    try:
        response = await js.fetch(url, to_object(options))
        data = await response.arrayBuffer()
    except JsException as error:
        raise NetworkError(str(error)) from error
    names = js.Array.from_(response.headers.keys())  # `from_`: Pyodide spells JS `from` so
    return HttpResponse(
        int(response.status),
        {str(n): str(response.headers.get(n)) for n in names},
        data.to_bytes(),
    )
