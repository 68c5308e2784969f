"""fetch() from Python: same-origin, cookies included, bytes in and out.

Every request has a deadline. A server (or proxy) that accepts a connection and never
answers would otherwise hold the caller for good: sync waited on such a request forever.
Past the deadline the request is aborted and raised as a NetworkError, which the callers
treat as offline (back off, retry). `?http-timeout=SECONDS` on the page's URL changes the
base deadline (the tests use it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import js
from pyodide.ffi import JsException, to_js

from client.ffi.convert import to_object


class NetworkError(Exception):
    """fetch() rejected: offline, server gone, the request never left the browser, or no
    answer came before the deadline."""


BASE_TIMEOUT_S = 30.0
BYTES_PER_S = 100_000  # a large upload gets a second more per 100 KB on top of the base


def _base_timeout() -> float:
    try:
        value = float(js.URLSearchParams.new(js.location.search).get("http-timeout") or 0)
    except (ValueError, TypeError):
        value = 0.0
    return value if value > 0 else BASE_TIMEOUT_S


def deadline_s(body_bytes: int) -> float:
    return _base_timeout() + body_bytes / BYTES_PER_S


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        import json

        return json.loads(self.body) if self.body else None


async def fetch(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | str | None = None,
    parts: list[tuple[str, bytes | str]] | None = None,
) -> HttpResponse:
    """`parts` makes a multipart/form-data body: (name, text) fields and (name, bytes) files."""
    options: dict[str, Any] = {
        "method": method,
        "credentials": "same-origin",
        "headers": dict(headers or {}),
        "cache": "no-store",
    }
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
    size = sum(len(v) for _n, v in parts or []) + len(body or b"")
    seconds = deadline_s(size)
    init = to_object(options)
    init.signal = js.AbortSignal.timeout(int(seconds * 1000))
    try:
        response = await js.fetch(url, init)
        data = await response.arrayBuffer()
    except JsException as error:
        if getattr(error, "name", "") == "TimeoutError" or "TimeoutError" in str(error):
            raise NetworkError(f"no answer from the server within {seconds:.0f} s") from error
        raise NetworkError(str(error)) from error
    names = js.Array.from_(response.headers.keys())  # `from_`: Pyodide spells JS `from` so
    return HttpResponse(
        int(response.status),
        {str(n): str(response.headers.get(n)) for n in names},
        data.to_bytes(),
    )
