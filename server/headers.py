"""Headers every response carries, whatever produced it (files, API, errors).

COOP + COEP (contract/isolation.py) make the page crossOriginIsolated (SharedArrayBuffer,
WebContainer, Pyodide interrupts); a worker script without COEP is blocked silently, so
nothing may skip this.
The IDE's pages refuse to be framed by other sites (a framed IDE could be clicked through
by the page around it); only /embed, made to be framed, says otherwise (server/static.py).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract import isolation

ISOLATION_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    *((name.encode(), value.encode()) for name, value in isolation.IDE.items()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
)


class IsolationHeaders:
    """Pure ASGI middleware, so streamed and error responses are covered too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in ISOLATION_HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
