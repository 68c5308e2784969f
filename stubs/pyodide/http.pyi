# The part of Pyodide's pyodide.http that client/worker calls.
from typing import Any

class FetchResponse:
    status: int
    ok: bool
    async def bytes(self) -> bytes: ...

async def pyfetch(url: str, **kwargs: Any) -> FetchResponse: ...
