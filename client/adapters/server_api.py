"""ServerApi (client.core.ports) over HTTP: the /api endpoints of our own server."""

from __future__ import annotations

import json
from typing import Any

from client.core.model import ServerFile
from client.core.ports import (
    Offline,
    Refused,
    ServerFailed,
    ServerSnapshot,
    SignedOut,
    SyncOps,
    SyncParts,
)
from client.ffi.http import HttpResponse, NetworkError, fetch

# Calls made before there is a session, so before there can be a CSRF token.
_TOKENLESS = {"/auth/signin", "/auth/signup"}


def _raise_for(response: HttpResponse) -> None:
    if response.status < 400:
        return
    if response.status >= 500:
        raise ServerFailed(f"the server answered {response.status}")
    try:
        error = json.loads(response.body)["error"]
    except (ValueError, KeyError, TypeError):
        error = None
    if not isinstance(error, dict):  # not our shape: a proxy's page, {"error": "Not Found"}
        error = {"code": "error", "message": f"HTTP {response.status}", "details": {}}
    if response.status == 401 and error.get("code") == "unauthenticated":
        raise SignedOut("the session has ended; sign in again")
    raise Refused(
        response.status,
        error.get("code", "error"),
        error.get("message", ""),
        error.get("details") or {},
    )


class HttpServerApi:
    def __init__(self, base: str = "/api") -> None:
        self.base = base.rstrip("/")
        self.csrf_token = ""

    async def _call(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        headers = kwargs.pop("headers", {})
        if method != "GET" and not self.csrf_token and path not in _TOKENLESS:
            # A page that started offline never got its token: ask for it now.
            await self.session()
        if method != "GET" and self.csrf_token:
            headers["x-csrf-token"] = self.csrf_token
        try:
            response = await fetch(method, self.base + path, headers=headers, **kwargs)
        except NetworkError as error:
            raise Offline(str(error)) from error
        _raise_for(response)
        return response

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """A JSON call to /api; raises the ports' errors (Refused carries the server's words)."""
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"body": json.dumps(body), "headers": {"content-type": "application/json"}}
        response = await self._call(method, path, **kwargs)
        return response.json()

    async def send_bytes(self, method: str, path: str, data: bytes, content_type: str) -> Any:
        """A raw body (a zip to import); the answer is JSON like call()'s."""
        response = await self._call(method, path, body=data, headers={"content-type": content_type})
        return response.json()

    def url(self, path: str) -> str:
        """The address of an endpoint, for links the browser follows itself (a download)."""
        return self.base + path

    async def sign(self, kind: str, email: str, password: str) -> dict[str, Any]:
        """kind: 'signin' or 'signup'. Keeps the CSRF token for later calls."""
        body: dict[str, Any] = await self.call(
            "POST", f"/auth/{kind}", {"email": email, "password": password}
        )
        self.csrf_token = body["csrf_token"]
        return body

    async def session(self) -> dict[str, Any] | None:
        try:
            response = await self._call("GET", "/auth/session")
        except SignedOut:
            return None
        body: dict[str, Any] = response.json()
        self.csrf_token = body["csrf_token"]
        return body

    async def load(self, project_id: str, etag: str | None) -> ServerSnapshot | None:
        headers = {"if-none-match": etag} if etag else {}
        response = await self._call("GET", f"/projects/{project_id}/files", headers=headers)
        if response.status == 304:
            return None
        body = response.json()
        files = [
            ServerFile(
                f["path"],
                int(f["version"]),
                f["sha256"],
                bool(f["binary"]),
                int(f["size"]),
                None if f["binary"] else f["content"].encode("utf-8"),
            )
            for f in body["files"]
        ]
        return ServerSnapshot(int(body["version"]), response.headers.get("etag", ""), files)

    async def blob(self, project_id: str, sha256: str) -> bytes:
        return (await self._call("GET", f"/projects/{project_id}/blobs/{sha256}")).body

    async def sync(
        self, project_id: str, ops: SyncOps, parts: SyncParts, revision_message: str | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"ops": ops}
        if revision_message is not None:
            body["revision_message"] = revision_message
        path = f"/projects/{project_id}/sync"
        if parts:
            fields: list[tuple[str, bytes | str]] = [("ops", json.dumps(body))]
            fields += list(parts.items())
            response = await self._call("POST", path, parts=fields)
        else:
            response = await self._call(
                "POST", path, body=json.dumps(body), headers={"content-type": "application/json"}
            )
        answer: dict[str, Any] = response.json()
        return answer
