"""Opening a project: the cached copy is shown at once; when the server's copy arrives the
two are reconciled file by file.

- server moved on, ours clean          -> take theirs in place
- ours changed, server did not         -> keep ours: it is pushed by the next sync
- both changed (different content)     -> a conflict; both kept
- both changed to the same content     -> in step, nothing to do
- server deleted, ours clean           -> delete here
- server has a file we never saw       -> add it
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from client.core.conflicts import Conflict
from client.core.model import SENT_DELETE, Base, LocalFile, ProjectModel, ServerFile


@dataclass
class Reconciliation:
    updated: list[str] = field(default_factory=list)  # took the server's content
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    need_content: list[ServerFile] = field(default_factory=list)  # binary still to fetch


def reconcile(model: ProjectModel, server: list[ServerFile], server_version: int) -> Reconciliation:
    """Merge the server's files into the model. Binary server content may be None; such
    files are listed in `need_content` and adopted once fetched (see adopt_fetched)."""
    out = Reconciliation()
    by_path = {s.path: s for s in server}
    by_origin = {f.base.path: f for f in model.files.values() if f.base is not None}
    origins = {server_path: f.path for server_path, f in by_origin.items()}  # origin_index
    claimed: set[str] = set()

    for local in list(model.files.values()):
        if local.base is None:
            _new_here(model, local, by_path, claimed, out)
            continue
        origin = local.base.path
        theirs = by_path.get(origin)
        claimed.add(origin)
        if theirs is None and model.inflight.get(origin) == SENT_DELETE:
            # We deleted it there (the answer was lost) and this file was made again here
            # since, keeping the old identity: it is new to the server, not a conflict.
            fresh = replace(local, base=None)
            model.files[fresh.path] = fresh
            _new_here(model, fresh, by_path, claimed, out)
            continue
        if theirs is None:  # deleted on the server
            if local.clean:
                del model.files[local.path]
                out.removed.append(local.path)
            else:
                out.conflicts.append(
                    Conflict(local.path, origin, local.content, None, None, None, local.binary)
                )
            continue
        if theirs.version == local.base.version:
            continue  # the server did not move: ours (changed or not) stands
        if theirs.sha256 == local.sha256 or (_ours(model, theirs) and origin == local.path):
            # converged, or the server holds what we sent before an answer was lost: the
            # server's version becomes our base, our newer edits stay pending
            model.files[local.path] = _rebased(local, theirs)
        elif local.sha256 == local.base.sha256:
            # Content untouched here (maybe renamed): their content, our place.
            _take(model, theirs, out, out.updated, origins)
        else:
            out.conflicts.append(_conflict(local.path, theirs, local.content, local.binary))

    for server_path, tomb in list(model.tombstones.items()):
        claimed.add(server_path)
        theirs = by_path.get(server_path)
        if theirs is None:
            model.forget_tombstone(server_path)  # gone on both sides
        elif (
            theirs.version != tomb.version
            and theirs.sha256 != tomb.sha256
            and not _ours(model, theirs)
        ):
            # I deleted it, they changed it: ask (unless the change is one we sent before
            # deleting it here, its answer lost: then the delete stands)
            out.conflicts.append(_conflict(server_path, theirs, None, theirs.binary))
        elif theirs.version != tomb.version:  # rewritten with what I deleted, or by us
            model.tombstones[server_path] = Base(server_path, theirs.version, theirs.sha256)

    for theirs in server:
        if theirs.path in claimed or theirs.path in by_origin:
            continue
        if theirs.path in model.files:
            continue  # a local new file of that name was handled above
        if _ours(model, theirs):
            # We sent it, then deleted it here before the answer came: delete it there.
            model.tombstones[theirs.path] = Base(theirs.path, theirs.version, theirs.sha256)
            continue
        _take(model, theirs, out, out.added, origins)

    model.server_version = server_version
    model.inflight.clear()  # the server's state is known now
    return out


def _new_here(
    model: ProjectModel,
    local: LocalFile,
    by_path: dict[str, ServerFile],
    claimed: set[str],
    out: Reconciliation,
) -> None:
    """A local file the server has never given us: pushed later, unless the server has a
    file at its path (ours whose answer was lost, the same content, or a conflict)."""
    theirs = by_path.get(local.path)
    if theirs is None:
        return  # new here: pushed later
    claimed.add(theirs.path)
    if theirs.sha256 == local.sha256 or _ours(model, theirs):
        model.files[local.path] = _rebased(local, theirs)
    else:
        out.conflicts.append(_conflict(local.path, theirs, local.content, local.binary))


def _ours(model: ProjectModel, theirs: ServerFile) -> bool:
    """The server's copy is content this browser sent (its answer never arrived)."""
    return model.inflight.get(theirs.path) == theirs.sha256


def _rebased(local: LocalFile, theirs: ServerFile) -> LocalFile:
    return replace(local, base=Base(theirs.path, theirs.version, theirs.sha256))


def _conflict(path: str, theirs: ServerFile, mine: bytes | None, binary: bool) -> Conflict:
    return Conflict(path, theirs.path, mine, theirs.content, theirs.version, theirs.sha256, binary)


def _take(
    model: ProjectModel,
    theirs: ServerFile,
    out: Reconciliation,
    bucket: list[str],
    origins: dict[str, str],
) -> None:
    if theirs.content is None:
        out.need_content.append(theirs)
        return
    bucket.append(adopt_fetched(model, theirs, theirs.content, origins))


def origin_index(model: ProjectModel) -> dict[str, str]:
    """Server path -> the local path of the file that comes from it. One look per server
    file instead of a scan of the model each: a first open of 20,000 files spent 11 s
    scanning."""
    return {f.base.path: f.path for f in model.files.values() if f.base is not None}


def adopt_fetched(
    model: ProjectModel, theirs: ServerFile, content: bytes, origins: dict[str, str] | None = None
) -> str:
    """Take the server's content of `theirs`: in place of the local file that comes from it
    with its content untouched (it may have been renamed here), else at the server's path.
    Returns the local path. `origins` (origin_index, kept up to date here) saves the scan
    when many files are adopted in a row."""
    if origins is None:
        origins = origin_index(model)
    local = model.files.get(origins.get(theirs.path, ""))
    if (
        local is not None
        and local.base is not None
        and local.base.path == theirs.path
        and local.sha256 == local.base.sha256
    ):
        model.files[local.path] = LocalFile(
            local.path, content, theirs.binary, Base(theirs.path, theirs.version, theirs.sha256)
        )
        return local.path
    model.adopt(theirs, content)
    origins[theirs.path] = theirs.path
    return theirs.path
