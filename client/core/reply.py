"""Fold a sync answer back into the model. The base becomes what was *sent*, so edits
made while the request was in flight still show as pending afterwards."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from client.core.model import SENT_DELETE, Base, LocalFile, ProjectModel
from client.core.outbox import Op


@dataclass(frozen=True)
class Refused:
    """An op the server answered `conflict`: its copy is at another version."""

    op: Op
    current_version: int | None
    current_sha256: str | None
    path: str | None = None  # the server path whose copy stands in the way


def _find(model: ProjectModel, op: Op, by_base: dict[Base, LocalFile]) -> LocalFile | None:
    """The local file an op came from, wherever it is now (it may have moved since)."""
    assert op.file is not None
    if op.file.base is not None:
        return by_base.get(op.file.base)
    here = model.files.get(op.local_path)
    if here is not None and here.base is None:
        return here
    for local in model.files.values():
        if local.base is None and local.sha256 == op.file.sha256:
            return local
    return None


Deleted = set[tuple[str, int | None]]  # (server path, version) of server copies deleted


def apply_results(
    model: ProjectModel, ops: list[Op], answer: dict[str, Any], deleted: Deleted | None = None
) -> list[Refused]:
    """Fold one answer in. A push split over several requests passes one `deleted` set to
    every call and calls forget_deleted() once at the end (a later request may still carry
    a put that comes from a deleted copy); without it, this answer is taken on its own."""
    alone = deleted is None
    deleted = set() if deleted is None else deleted
    refused: list[Refused] = []
    # One index per answer, not a scan per op: a 1,000-file answer stays linear.
    by_base = {f.base: f for f in model.files.values() if f.base is not None}
    for result in answer["results"]:
        op = ops[result["index"]]
        if result["status"] != "ok":
            refused.append(
                Refused(
                    op,
                    result.get("current_version"),
                    result.get("current_sha256"),
                    result.get("path"),
                )
            )
            continue
        version = int(result["version"])
        if op.kind == "delete":
            deleted.add((op.path, op.base_version))
            tomb = model.tombstones.get(op.path)
            if tomb is not None and tomb.version == op.base_version:
                model.forget_tombstone(op.path)
            continue
        assert op.file is not None
        local = _find(model, op, by_base)
        if op.kind == "put":
            new_base = Base(op.path, version, op.file.sha256)
        else:
            assert op.to is not None and op.file.base is not None
            new_base = Base(op.to, version, op.file.base.sha256)
        old_base = op.file.base
        if local is not None:
            model.files[local.path] = replace(local, base=new_base)
        elif old_base is None:
            # Created and deleted again while the request flew: the server now has a file
            # we no longer want; remember to delete it.
            model.tombstones[new_base.path] = new_base
        # Deleted while the request flew: the tombstone must carry the new version.
        if old_base is not None:
            for server_path, tomb in list(model.tombstones.items()):
                if tomb == old_base:
                    del model.tombstones[server_path]
                    model.tombstones[new_base.path] = new_base
    model.server_version = max(model.server_version, int(answer.get("version", 0)))
    if alone:
        forget_deleted(model, deleted)
    return refused


def forget_deleted(model: ProjectModel, deleted: Deleted) -> None:
    """A file still based on a server copy that was deleted (re-created while the delete
    flew, or renamed and edited with its put refused or not sent) is new to the server."""
    for local in list(model.files.values()):
        if local.base is not None and (local.base.path, local.base.version) in deleted:
            model.files[local.path] = replace(local, base=None)


def settle_ours(model: ProjectModel, refused: Refused, earlier: dict[str, str]) -> bool:
    """A put or delete refused because the server's copy is already what this browser
    wants there: what an earlier request sent (`earlier`, server path -> its sent state,
    kept in `model.inflight` while unanswered) when that request's answer was lost after
    the server applied it, or what this op itself asks for. That is no conflict: the model
    is put in step with the server's copy, and the next push sends what still differs.
    True when settled so; a rename is left to the conflict (rare, and always safe)."""
    op = refused.op
    if op.kind not in {"put", "delete"} or (refused.path or op.path) != op.path:
        return False
    state = refused.current_sha256 if refused.current_version is not None else SENT_DELETE
    own = op.file.sha256 if op.kind == "put" and op.file is not None else SENT_DELETE
    if state is None or state not in {earlier.get(op.path), own}:
        return False
    version = refused.current_version
    there = None if version is None else Base(op.path, version, state)
    local = model.files.get(op.path)
    if op.kind == "put" and local is not None:
        model.files[op.path] = replace(local, base=there)  # new to the server when gone there
        return True
    # Deleted here (the delete refused, or the file deleted while the put flew): whatever
    # copy the server holds is to go, at the version it is at now.
    if there is not None:
        model.tombstones[op.path] = there
        return True
    model.forget_tombstone(op.path)
    if op.kind == "delete":
        # A file made again here while the delete flew kept the deleted copy's identity:
        # new to the server now, as forget_deleted() makes it for a delete answered `ok`.
        forget_deleted(model, {(op.path, op.base_version)})
    return True
