"""One open project's sync: the model, its local store, the server, and the conflicts.

`open()` shows the cached copy first and reconciles with the server's; `persist()` writes
what changed to the local store; `push()` sends everything pending in as few requests as
the limits allow. Failures raise the ports' errors; the scheduler decides when to retry.
A failing local store is reported (`storage_error`), never swallowed, and the edits stay
in memory so that a later persist can still save them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from client.core.conflicts import Conflict, ConflictBook
from client.core.model import SENT_DELETE, Base, LocalFile, ProjectModel, ServerFile
from client.core.outbox import Op, batches, pending_ops, unsyncable
from client.core.ports import Refused, ServerApi, SignedOut, Storage, StoredProject
from client.core.reconcile import Reconciliation, adopt_fetched, origin_index, reconcile
from client.core.reply import Deleted, apply_results, forget_deleted, settle_ours
from contract.rules import SyncRules


class JournalFile(TypedDict):
    text: str
    base: list[str | int] | None  # [path, version, sha256] of its origin


class Journal(TypedDict):
    """ProjectSync.journal(): plain JSON, for localStorage."""

    files: dict[str, JournalFile]
    removed: list[str]
    tombstones: dict[str, list[str | int]]
    inflight: dict[str, str]


@dataclass
class PushReport:
    requests: int = 0
    sent_ops: int = 0
    new_conflicts: list[Conflict] = field(default_factory=list)


class ProjectSync:
    def __init__(
        self,
        project_id: str,
        storage: Storage,
        api: ServerApi,
        rules: SyncRules,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.project_id = project_id
        self.storage, self.api, self.rules = storage, api, rules
        self.model = ProjectModel()
        self.conflicts = ConflictBook()
        self.storage_error: str | None = None
        # Set when the browser store could not be opened and memory stands in for it: every
        # successful (memory) save keeps saying so, since nothing survives a reload then.
        self.storage_fallback: str | None = None
        self.problems: dict[str, str] = {}  # local files the server would refuse, and why
        self._on_change = on_change or (lambda: None)
        self.on_persisted: Callable[[], None] = lambda: None
        self._persisting: set[str] = set()  # paths a store write has taken, not yet confirmed
        self._persist_running = False
        self._persist_again = False

    # ------------------------------------------------------------ open

    async def open_cached(self) -> bool:
        """Fill the model from the local store; True when there was a cached copy."""
        stored = await self.storage.load(self.project_id)
        if stored is None:
            return False
        self.model = ProjectModel(
            dict(stored.files),
            dict(stored.tombstones),
            stored.server_version,
            stored.etag,
            dict(stored.inflight),
        )
        self.model.files.take_touched()
        self.conflicts.open = dict(stored.conflicts)
        return True

    async def refresh(self) -> Reconciliation | None:
        """Fetch the server's copy (304 when unchanged) and reconcile; None if unchanged."""
        snapshot = await self.api.load(self.project_id, self.model.etag)
        if snapshot is None:
            # Not changed since we last loaded it: nothing we sent since has landed.
            self.model.inflight.clear()
            return None
        # Files in conflict keep their conflict until the user resolves it.
        result = reconcile(self.model, snapshot.files, snapshot.version)
        origins = origin_index(self.model) if result.need_content else {}
        for theirs in result.need_content:
            content = await self.api.blob(self.project_id, theirs.sha256)
            local = self.model.files.get(origins.get(theirs.path, ""))
            known = local is not None and local.base is not None and local.base.path == theirs.path
            path = adopt_fetched(self.model, theirs, content, origins)
            (result.updated if known else result.added).append(path)
        for conflict in result.conflicts:
            if conflict.theirs is None and conflict.their_version is not None:
                conflict = await self._with_their_content(conflict)
            self.conflicts.add(conflict)
        self.model.etag = snapshot.etag
        await self.persist()
        self._on_change()
        return result

    # ------------------------------------------------------------ local store

    async def persist(self) -> bool:
        """Write what changed to the local store. One write at a time: two racing writes
        could store an older `meta` (tombstones, conflicts) over a newer one. A call made
        while a write runs returns at once; the running write goes round again for it."""
        if self._persist_running:
            self._persist_again = True
            return True
        self._persist_running = True
        try:
            while True:
                self._persist_again = False
                stored = await self._persist_once()
                if not stored or not self._persist_again:
                    return stored
        finally:
            self._persist_running = False

    async def _persist_once(self) -> bool:
        changed, removed = self.model.take_touched()
        flying = {f.path for f in changed} | set(removed)
        self._persisting |= flying
        meta = StoredProject(
            tombstones=dict(self.model.tombstones),
            conflicts=dict(self.conflicts.open),
            server_version=self.model.server_version,
            etag=self.model.etag,
            inflight=dict(self.model.inflight),
        )
        try:
            await self.storage.save(self.project_id, changed, removed, meta)
        except Exception as error:  # quota, blocked, closed: the user must hear of it
            self._persisting -= flying
            # Mark them touched again for the next try; their current state is what counts
            # then (it may have changed while the store was failing).
            self.model.files.touch([local.path for local in changed] + removed)
            self.storage_error = f"{type(error).__name__}: {error}"
            return False
        self._persisting -= flying
        self.storage_error = self.storage_fallback
        if not self._persisting and not self.model.files.peek_touched():
            self.on_persisted()  # everything is in the store: the journal is obsolete
        return True

    # ------------------------------------------------------------ journal

    def journal(self) -> Journal:
        """What the local store has not got yet, as plain JSON: written synchronously when
        the tab goes away (an IndexedDB write started then may never finish) and replayed
        by the next open. Text only; binary files are stored at once when they arrive."""
        files: dict[str, JournalFile] = {}
        removed = []
        for path in sorted(self.model.files.peek_touched() | self._persisting):
            local = self.model.files.get(path)
            if local is None:
                removed.append(path)
            elif not local.binary:
                base = local.base
                files[path] = {
                    "text": local.text,
                    "base": [base.path, base.version, base.sha256] if base else None,
                }
        tombstones: dict[str, list[str | int]] = {
            p: [b.path, b.version, b.sha256] for p, b in self.model.tombstones.items()
        }
        return {
            "files": files,
            "removed": removed,
            "tombstones": tombstones,
            "inflight": dict(self.model.inflight),
        }

    def replay(self, journal: Mapping[str, Any]) -> None:
        """Apply a journal on top of the cached copy (it holds the newer state)."""
        for path, entry in journal.get("files", {}).items():
            base = Base(*entry["base"]) if entry.get("base") else None
            self.model.files[path] = LocalFile(path, entry["text"].encode("utf-8"), False, base)
        for path in journal.get("removed", []):
            self.model.files.pop(path, None)
        if "tombstones" in journal:
            self.model.tombstones = {p: Base(*b) for p, b in journal["tombstones"].items()}
        self.model.inflight.update(journal.get("inflight", {}))

    # ------------------------------------------------------------ server

    def pending(self) -> list[Op]:
        """The ops the next push sends: all differences but conflicts, ignored paths and
        files the server would refuse (those are in `problems`, with the reason)."""
        ignored, self.problems = unsyncable(self.model, self.rules)
        skip = self.conflicts.blocked_paths() | ignored | set(self.problems)
        return pending_ops(self.model, skip=skip)

    def pending_count(self) -> int:
        """Changes the server does not have yet: sendable ones, conflicts and refusals."""
        return len(self.pending()) + len(self.conflicts) + len(self.problems)

    async def push(self, revision_message: str | None = None) -> PushReport:
        """Send everything pending. Raises Offline/ServerFailed/SignedOut/Refused."""
        report = PushReport()
        ops = self.pending()
        groups = batches(ops, self.rules.max_ops_per_sync, self.rules.max_request_bytes)
        if not groups and revision_message is not None:
            groups = [[]]  # a save with nothing to send still records the revision
        deleted: Deleted = set()
        try:
            for number, group in enumerate(groups):
                await self._send(
                    group, revision_message if number == len(groups) - 1 else None, report, deleted
                )
        finally:
            if deleted:
                forget_deleted(self.model, deleted)
                await self.persist()
        self._on_change()
        return report

    async def _send(
        self, group: list[Op], message: str | None, report: PushReport, deleted: Deleted
    ) -> None:
        parts = {
            op.file.sha256: op.file.content for op in group if op.as_part and op.file is not None
        }
        sent = sent_state(group)
        # What earlier requests sent to these paths and never heard back about.
        earlier = {p: self.model.inflight[p] for p in sent if p in self.model.inflight}
        if sent:  # stored first, so that a reload mid-request still knows what was sent
            self.model.inflight.update(sent)
            await self.persist()
        try:
            answer = await self.api.sync(
                self.project_id, [op.payload() for op in group], parts, message
            )
        except (Refused, SignedOut):
            # Answered, and nothing applied: there is nothing to recognise later.
            self._forget_sent(sent)
            raise
        self._forget_sent(sent)
        report.requests += 1
        report.sent_ops += len(group)
        for refused in apply_results(self.model, group, answer, deleted):
            if settle_ours(self.model, refused, earlier):
                continue  # the server already holds what we want there: no conflict
            conflict = await self._conflict_for(
                refused.op, refused.current_version, refused.current_sha256, refused.path
            )
            self.conflicts.add(conflict)
            report.new_conflicts.append(conflict)
        self.model.etag = None  # our own change moved the server: reload next time
        await self.persist()

    def _forget_sent(self, sent: dict[str, str]) -> None:
        for path, state in sent.items():
            if self.model.inflight.get(path) == state:
                del self.model.inflight[path]

    async def _conflict_for(
        self, op: Op, version: int | None, sha: str | None, server_path: str | None = None
    ) -> Conflict:
        """A refused op as a conflict. `server_path` is the server's copy in the way: for a
        rename, the target when it is taken, else the source that moved on; for a delete,
        'mine' is None."""
        local = self.model.files.get(op.local_path)
        mine = local.content if local is not None and op.kind != "delete" else None
        server_path = server_path or op.path
        conflict = Conflict(
            op.local_path,
            server_path,
            mine,
            None,
            version,
            sha,
            local.binary if local is not None else False,
        )
        return await self._with_their_content(conflict)

    async def _with_their_content(self, conflict: Conflict) -> Conflict:
        if conflict.their_sha256 is None:
            return conflict
        theirs = await self.api.blob(self.project_id, conflict.their_sha256)
        return Conflict(
            conflict.path,
            conflict.server_path,
            conflict.mine,
            theirs,
            conflict.their_version,
            conflict.their_sha256,
            conflict.binary,
        )

    async def resolve(self, path: str, choice: str, merged: bytes | None = None) -> None:
        """The user chose: 'mine', 'theirs' or 'merged' (with the merged bytes)."""
        self.conflicts.resolve(self.model, path, choice, merged)
        await self.persist()
        self._on_change()


def sent_state(group: list[Op]) -> dict[str, str]:
    """What the server holds once `group` is applied, by server path, for the paths the
    group changes: the content's sha256, or SENT_DELETE. In op order (deletes first), so a
    path deleted and then taken by a rename ends as the rename left it."""
    sent: dict[str, str] = {}
    for op in group:
        if op.kind == "put" and op.file is not None:
            sent[op.path] = op.file.sha256
        elif op.kind == "delete":
            sent[op.path] = SENT_DELETE
        elif op.kind == "rename" and op.to is not None and op.file is not None:
            assert op.file.base is not None
            sent[op.path] = SENT_DELETE
            sent[op.to] = op.file.base.sha256
    return sent


def server_file(entry: Mapping[str, str | int], content: bytes | None) -> ServerFile:
    """A ServerFile from one entry of GET /api/projects/{id}/files."""
    return ServerFile(
        str(entry["path"]),
        int(entry["version"]),
        str(entry["sha256"]),
        bool(entry["binary"]),
        int(entry["size"]),
        content,
    )
