"""fetch() from the runtime worker's Python (client/worker), for what pip asks of the
package mirror beside micropip: the status of one GET. Only for code running inside the
engine's worker, whose fetch keeps the mirror's answers (client/glue/mirror-cache.mjs)."""

from __future__ import annotations

from pyodide.http import pyfetch


async def status_of(url: str, accept: str) -> int:
    """GET `url`: its HTTP status, or 0 when no answer came (offline, refused)."""
    try:
        response = await pyfetch(url, headers={"Accept": accept})
    except Exception:  # a failed fetch surfaces as some JS error, whatever its kind
        return 0
    return int(response.status)


async def get(url: str, accept: str) -> tuple[int, bytes]:
    """GET `url`: (status, body), or (0, b"") when no answer came (offline, refused)."""
    try:
        response = await pyfetch(url, headers={"Accept": accept})
        body = await response.bytes() if response.status == 200 else b""
    except Exception:  # a failed fetch surfaces as some JS error, whatever its kind
        return 0, b""
    return int(response.status), bytes(body)
