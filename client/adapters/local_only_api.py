"""ServerApi (client.core.ports) for a static-only site: there is no server, IndexedDB is
the only copy. A push is acknowledged at once (so the status reads Saved once the files
are in IndexedDB), a load never brings anything new, and every other call says plainly
that this site has no server."""

from __future__ import annotations

import itertools
import time
from typing import Any

from client.core import local_projects
from client.core.ports import Offline, ServerSnapshot, SyncOps, SyncParts
from client.ffi import dom

NO_SERVER = "this site is static (no server): projects are kept in this browser only"


class LocalOnlyApi:
    def __init__(self, sandbox: str | None = None) -> None:
        self.csrf_token = ""
        # The sandbox origin pattern the build was given (--sandbox-host), answered as the
        # server's /runtime-config would; without one the runtime says it cannot start.
        self.sandbox = sandbox
        # Versions only need to grow; milliseconds keep them growing across reloads.
        self._versions = itertools.count(int(time.time() * 1000))

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        if method == "GET" and path == "/runtime-config" and self.sandbox:
            return {"sandbox": self.sandbox}
        if method == "GET" and path.startswith("/projects/") and path.count("/") == 2:
            pid = path.rsplit("/", 1)[1]
            name = local_projects.name_of(dom.local_get(local_projects.KEY), pid)
            if name is not None:
                return {"id": pid, "name": name}
        raise Offline(NO_SERVER)

    def url(self, path: str) -> str:
        return "about:blank"

    async def load(self, project_id: str, etag: str | None) -> ServerSnapshot | None:
        return None  # nothing but this browser's copy exists

    async def blob(self, project_id: str, sha256: str) -> bytes:
        raise Offline(NO_SERVER)

    async def sync(
        self, project_id: str, ops: SyncOps, parts: SyncParts, revision_message: str | None
    ) -> dict[str, Any]:
        version = next(self._versions)
        results = [{"index": i, "status": "ok", "version": version} for i in range(len(ops))]
        return {"results": results, "version": version}
