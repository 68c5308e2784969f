"""client.core.engine and the local store: a failing store is reported and retried without
undoing edits, held-back files, the journal, and answers lost in flight."""

from __future__ import annotations

import asyncio

import pytest

from client.core import ports
from client.core.engine import ProjectSync
from client.core.model import LocalFile
from client.core.ports import MemoryStorage, StoredProject
from contract.rules import SyncRules

from .conftest import contents, opened
from .fake_server import FakeServer, run


def test_a_storage_failure_is_reported_and_the_same_changes_retried(
    sync: ProjectSync,
    storage: MemoryStorage,
    server: FakeServer,
) -> None:
    opened(sync, server, {"gone": b"g", "kept": b"k"})
    sync.model.write("a", b"1")
    sync.model.delete("gone")
    storage.fail_with = OSError("QuotaExceededError")
    assert run(sync.persist()) is False
    assert sync.storage_error == "OSError: QuotaExceededError"
    assert contents(sync) == {"a": b"1", "kept": b"k"}  # still in memory
    storage.fail_with = None
    assert run(sync.persist()) is True and sync.storage_error is None
    stored = storage.projects["p1"]
    assert {p: f.content for p, f in stored.files.items()} == {"a": b"1", "kept": b"k"}
    assert set(stored.tombstones) == {"gone"}


def test_memory_standing_in_for_the_browser_store_keeps_saying_so(
    sync: ProjectSync,
    server: FakeServer,
) -> None:
    opened(sync, server, {"kept": b"k"})
    sync.storage_fallback = "IndexedDB is blocked; edits are kept in memory only"
    sync.model.write("a", b"1")
    assert run(sync.persist()) is True  # memory took it
    assert sync.storage_error == "IndexedDB is blocked; edits are kept in memory only"


class SlowFailingStorage(MemoryStorage):
    """Yields once inside save (as IndexedDB does), then fails."""

    async def save(
        self, project_id: str, changed: list[LocalFile], removed: list[str], meta: StoredProject
    ) -> None:
        await asyncio.sleep(0)
        await super().save(project_id, changed, removed, meta)


def test_edits_made_while_a_failing_save_was_pending_are_not_undone(
    server: FakeServer,
    rules: SyncRules,
) -> None:
    storage = SlowFailingStorage()
    sync = ProjectSync("p1", storage, server, rules)
    sync.model.write("a", b"older")
    sync.model.write("b", b"to delete")
    run(sync.persist())
    sync.model.write("a", b"old")
    sync.model.delete("b")
    storage.fail_with = OSError("closed")
    saving = sync.persist()
    assert saving.send(None) is None  # suspended inside save
    sync.model.write("a", b"newest")  # typed meanwhile
    sync.model.write("b", b"made again")
    assert run(saving) is False
    assert contents(sync) == {"a": b"newest", "b": b"made again"}
    storage.fail_with = None
    assert run(sync.persist())
    assert {p: f.content for p, f in storage.projects["p1"].files.items()} == contents(sync)


def test_files_the_server_would_refuse_are_held_back_and_the_rest_syncs(
    sync: ProjectSync, server: FakeServer
) -> None:
    """One bad file must not block every sync: it waits with its reason, others go."""
    sync.model.write("ok.txt", b"fine")
    sync.model.write("node_modules/dep/index.js", b"local only")  # ignored: never synced
    sync.model.write("a\u0085b.txt", b"control character in the name")
    sync.model.write("big.bin", b"\0" * (sync.rules.max_file_bytes + 1), binary=True)
    run(sync.push())
    assert server.files() == {"ok.txt": b"fine"}
    assert set(sync.problems) == {"a\u0085b.txt", "big.bin"}
    assert "control character" in sync.problems["a\u0085b.txt"]
    assert "larger than" in sync.problems["big.bin"]
    assert sync.pending() == []
    assert sync.pending_count() == 2  # the two refusals; the ignored file is not pending
    sync.model.delete("big.bin")
    sync.model.rename("a\u0085b.txt", "ab.txt")
    run(sync.push())
    assert server.files() == {"ok.txt": b"fine", "ab.txt": b"control character in the name"}
    assert sync.problems == {} and sync.pending_count() == 0


def test_the_journal_replays_what_the_store_had_not_got(sync: ProjectSync) -> None:
    """Written synchronously when a tab goes away; the next open replays it on the cache."""
    sync.model.write("keep.txt", b"stored")
    run(sync.persist())
    sync.model.write("late.txt", b"typed just before the reload")
    sync.model.delete("keep.txt")
    journal = sync.journal()
    assert set(journal["files"]) == {"late.txt"} and journal["removed"] == ["keep.txt"]

    fresh = ProjectSync(sync.project_id, sync.storage, sync.api, sync.rules)
    assert run(fresh.open_cached())
    assert set(fresh.model.files) == {"keep.txt"}  # the store alone lost the last edits
    fresh.replay(journal)
    assert {p: f.content for p, f in fresh.model.files.items()} == {
        "late.txt": b"typed just before the reload"
    }


@pytest.mark.parametrize("existing", [True, False], ids=["edited-file", "new-file"])
def test_an_answer_lost_in_flight_is_recognised_as_ours(
    sync: ProjectSync, server: FakeServer, existing: bool
) -> None:
    """The server took a push but the answer was lost (reload, crash): after the next open
    the server's copy is known to be ours, so later edits push without a false conflict."""
    if existing:
        sync.model.write("a.txt", b"one")
        run(sync.push())
    sync.model.write("a.txt", b"two")
    server.lose_next_answer = True
    with pytest.raises(ports.Offline):
        run(sync.push())
    assert server.files()["a.txt"] == b"two"
    sync.model.write("a.txt", b"three")
    run(sync.persist())

    reopened = ProjectSync(sync.project_id, sync.storage, sync.api, sync.rules)  # a reload
    assert run(reopened.open_cached())
    run(reopened.refresh())
    assert len(reopened.conflicts) == 0
    run(reopened.push())
    assert server.files() == {"a.txt": b"three"}
    assert reopened.pending() == [] and reopened.model.inflight == {}
