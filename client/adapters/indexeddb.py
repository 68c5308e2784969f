"""Storage (client.core.ports) over IndexedDB, through client/glue/idb.mjs."""

from __future__ import annotations

from typing import Any

from client.core.conflicts import Conflict
from client.core.model import Base, LocalFile
from client.core.ports import StoredProject
from client.ffi import convert, modules


class StorageUnavailable(Exception):
    """IndexedDB cannot be used (private mode, blocked, quota): say so, do not hide it."""


def _base_js(base: Base | None) -> dict[str, Any] | None:
    return (
        None
        if base is None
        else {"path": base.path, "version": base.version, "sha256": base.sha256}
    )


def _base_py(raw: dict[str, Any] | None) -> Base | None:
    return None if raw is None else Base(raw["path"], int(raw["version"]), raw["sha256"])


def _file_js(local: LocalFile) -> dict[str, Any]:
    return {
        "path": local.path,
        "content": local.content,
        "binary": local.binary,
        "sha256": local.sha256,
        "base": _base_js(local.base),
    }


def _conflict_js(c: Conflict) -> dict[str, Any]:
    return {
        "path": c.path,
        "server_path": c.server_path,
        "mine": c.mine,
        "theirs": c.theirs,
        "their_version": c.their_version,
        "their_sha256": c.their_sha256,
        "binary": c.binary,
    }


class IndexedDbStore:
    def __init__(self) -> None:
        self._glue: Any = None
        self._db: Any = None
        self.persisted = False

    async def _ready(self) -> Any:
        if self._db is None:
            self._glue = await modules.load(modules.asset_url("client", "glue/idb.mjs"))
            try:
                self._db = await self._glue.open()
            except Exception as error:
                raise StorageUnavailable(
                    f"this browser will not open IndexedDB: {error}"
                ) from error
            self.persisted = bool(await self._glue.persist())
        return self._db

    async def load(self, project_id: str) -> StoredProject | None:
        db = await self._ready()
        raw = convert.to_python(await self._glue.loadProject(db, project_id))
        if raw["meta"] is None and not raw["files"]:
            return None
        files = {}
        for row in raw["files"]:
            files[row["path"]] = LocalFile(
                row["path"],
                row["content"],
                bool(row["binary"]),
                _base_py(row["base"]),
                row.get("sha256") or "",
            )
        meta = raw["meta"] or {}
        tombstones = {
            t["path"]: Base(t["path"], int(t["version"]), t["sha256"])
            for t in meta.get("tombstones", [])
        }
        conflicts = {
            c["path"]: Conflict(
                c["path"],
                c["server_path"],
                c["mine"],
                c["theirs"],
                c["their_version"],
                c["their_sha256"],
                bool(c["binary"]),
            )
            for c in meta.get("conflicts", [])
        }
        return StoredProject(
            files,
            tombstones,
            conflicts,
            int(meta.get("serverVersion", 0)),
            meta.get("etag"),
            dict(meta.get("inflight") or {}),
        )

    async def save(
        self, project_id: str, changed: list[LocalFile], removed: list[str], meta: StoredProject
    ) -> None:
        db = await self._ready()
        meta_js = {
            "tombstones": [_base_js(b) for b in meta.tombstones.values()],
            "conflicts": [_conflict_js(c) for c in meta.conflicts.values()],
            "serverVersion": meta.server_version,
            "etag": meta.etag,
            "inflight": dict(meta.inflight),
        }
        rows = convert.to_object([_file_js(f) for f in changed])
        await self._glue.saveProject(
            db, project_id, rows, convert.to_object(removed), convert.to_object(meta_js)
        )

    async def project_ids(self) -> set[str]:
        """The projects with a copy in this browser (what can be opened offline)."""
        db = await self._ready()
        return {str(key) for key in convert.to_python(await self._glue.listProjects(db))}

    async def delete(self, project_id: str) -> None:
        """Drop a project's files and state from this browser."""
        db = await self._ready()
        await self._glue.deleteProject(db, project_id)
