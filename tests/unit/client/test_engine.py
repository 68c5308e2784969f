"""client.core.engine: open (cache, then server), persist, push, conflicts and resolving."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from client.core import ports
from client.core.engine import ProjectSync, server_file
from client.core.model import LocalFile, ServerFile, sha256_hex
from client.core.ports import MemoryStorage, StoredProject
from contract.rules import SyncRules

from .fake_server import FakeServer, run

BINARY = bytes(range(256))


def contents(sync: ProjectSync) -> dict[str, bytes]:
    return {path: local.content for path, local in sync.model.files.items()}


def opened(sync: ProjectSync, server: FakeServer, files: dict[str, bytes]) -> ProjectSync:
    """`sync` in step with a server holding `files` (written by another client)."""
    for path, content in files.items():
        server.other_put(path, content)
    run(sync.refresh())
    assert contents(sync) == files
    return sync


# ------------------------------------------------------------------ open


def test_open_cached_without_a_cache(sync: ProjectSync) -> None:
    assert run(sync.open_cached()) is False
    assert sync.model.files == {}


def test_open_cached_then_refresh(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    first = opened(ProjectSync("p1", storage, server, rules), server, {"a": b"1", "b": b"2"})
    first.model.write("mine.txt", b"offline work")
    assert run(first.persist())
    server.other_put("b", b"2 from elsewhere")

    later = ProjectSync("p1", storage, server, rules)
    assert run(later.open_cached()) is True
    assert contents(later) == {"a": b"1", "b": b"2", "mine.txt": b"offline work"}
    assert later.model.take_touched() == ([], [])  # nothing to write back
    out = run(later.refresh())
    assert out is not None and out.updated == ["b"] and out.conflicts == []
    assert contents(later) == {"a": b"1", "b": b"2 from elsewhere", "mine.txt": b"offline work"}
    assert storage.projects["p1"].files["b"].content == b"2 from elsewhere"
    assert storage.projects["p1"].etag == server.etag("p1")
    run(later.push())
    assert server.files() == contents(later)


def test_refresh_tells_on_change(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    calls: list[int] = []
    sync = ProjectSync("p1", storage, server, rules, on_change=lambda: calls.append(1))
    run(sync.refresh())
    run(sync.push())
    assert len(calls) == 2


def test_server_file_from_a_load_entry() -> None:
    entry: dict[str, str | int] = {
        "path": "a",
        "version": "3",
        "sha256": "ab",
        "binary": 1,
        "size": "5",
    }
    assert server_file(entry, None) == ports_server_file("a", 3, "ab", True, 5)


def ports_server_file(path: str, version: int, sha256: str, binary: bool, size: int) -> ServerFile:
    return ServerFile(path, version, sha256, binary, size)


# ------------------------------------------------------------------ push


def test_push_leaves_the_server_holding_the_local_state_byte_for_byte(
    sync: ProjectSync,
    server: FakeServer,
) -> None:
    opened(sync, server, {"keep": b"k", "old/name.txt": b"n", "gone": b"g", "edit": b"e"})
    sync.model.write("img/logo.png", BINARY, binary=True)
    sync.model.write("src/ünïcode.txt", "ça va ✓\n".encode())
    sync.model.write("edit", b"edited")
    sync.model.rename("old/name.txt", "new/name.txt")
    sync.model.delete("gone")
    report = run(sync.push())
    assert report.requests == 1 and report.sent_ops == 5 and report.new_conflicts == []
    assert server.files() == contents(sync)
    assert server.row_of("img/logo.png").binary
    [call] = server.sync_calls()
    assert call.args["parts"] == {sha256_hex(BINARY): BINARY}
    assert sync.model.pending_count() == 0 and sync.model.etag is None
    assert sync.model.server_version == server.version
    assert run(sync.push()).requests == 0  # nothing left to send


def test_push_splits_into_requests_within_the_limits(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    sync = ProjectSync("p1", storage, server, dataclasses.replace(rules, max_ops_per_sync=2))
    for number in range(5):
        sync.model.write(f"f{number}", b"x")
    report = run(sync.push("five files"))
    assert report.requests == 3 and report.sent_ops == 5
    assert [len(c.args["ops"]) for c in server.sync_calls()] == [2, 2, 1]
    assert [c.args["revision_message"] for c in server.sync_calls()] == [None, None, "five files"]
    assert server.revisions == ["five files"] and len(server.files()) == 5


def test_a_rename_and_edit_split_over_two_requests(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    sync = ProjectSync("p1", storage, server, dataclasses.replace(rules, max_ops_per_sync=1))
    opened(sync, server, {"a": b"1"})
    sync.model.rename("a", "b")
    sync.model.write("b", b"2")
    assert run(sync.push()).requests == 2  # delete a, then put b
    assert server.files() == {"b": b"2"} and sync.model.pending_count() == 0
    assert run(sync.push()).requests == 0


def test_a_rename_and_edit_whose_second_request_fails(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    sync = ProjectSync("p1", storage, server, dataclasses.replace(rules, max_ops_per_sync=1))
    opened(sync, server, {"a": b"1"})
    sync.model.rename("a", "b")
    sync.model.write("b", b"2")
    server.hold = True
    pushing = sync.push()
    assert pushing.send(None) is None  # the delete flies...
    assert pushing.send(None) is None  # ...lands, and the put flies
    server.hold = False
    server.go_offline()  # the put does not arrive
    with pytest.raises(ports.Offline):
        run(pushing)
    assert server.files() == {}
    assert run(sync.push()).new_conflicts == []
    assert server.files() == {"b": b"2"} and sync.model.pending_count() == 0


def test_a_save_with_nothing_to_send_still_records_the_revision(
    sync: ProjectSync, server: FakeServer
) -> None:
    run(sync.push("checkpoint"))
    assert [c.args["ops"] for c in server.sync_calls()] == [[]]
    assert server.revisions == ["checkpoint"]


def test_a_failed_push_loses_nothing(sync: ProjectSync, server: FakeServer) -> None:
    sync.model.write("a", b"1")
    for error in [
        ports.Offline("down"),
        ports.ServerFailed("503"),
        ports.SignedOut("401"),
        ports.Refused(422, "invalid", "no", {}),
    ]:
        server.fail_next(error)
        with pytest.raises(type(error)):
            run(sync.push())
        assert contents(sync) == {"a": b"1"} and sync.model.pending_count() == 1
    run(sync.push())
    assert server.files() == {"a": b"1"}


# ------------------------------------------------------------------ conflicts


def test_a_concurrent_change_is_a_conflict_with_both_versions_kept(
    sync: ProjectSync,
    server: FakeServer,
) -> None:
    opened(sync, server, {"a": b"base", "b": b"b"})
    sync.model.write("a", b"mine")
    sync.model.write("b", b"b2")
    server.other_put("a", b"theirs")
    report = run(sync.push())
    [conflict] = report.new_conflicts
    assert (conflict.path, conflict.mine, conflict.theirs) == ("a", b"mine", b"theirs")
    assert sync.conflicts.open == {"a": conflict}
    assert contents(sync)["a"] == b"mine" and server.files()["a"] == b"theirs"
    assert server.files()["b"] == b"b2"  # the rest went through
    assert run(sync.push()).requests == 0  # a conflicted path is not sent again
    assert storage_conflicts(sync) == {"a": conflict}


def storage_conflicts(sync: ProjectSync) -> dict[str, object]:
    assert isinstance(sync.storage, MemoryStorage)
    return dict(sync.storage.projects["p1"].conflicts)


@pytest.mark.parametrize(
    ("choice", "merged", "expected"),
    [
        ("mine", None, b"mine"),
        ("theirs", None, b"theirs"),
        ("merged", b"both", b"both"),
    ],
)
def test_resolving_a_conflict_then_pushing_succeeds(
    sync: ProjectSync,
    server: FakeServer,
    choice: str,
    merged: bytes | None,
    expected: bytes,
) -> None:
    opened(sync, server, {"a": b"base"})
    sync.model.write("a", b"mine")
    server.other_put("a", b"theirs")
    run(sync.push())
    run(sync.resolve("a", choice, merged))
    assert len(sync.conflicts) == 0 and contents(sync) == {"a": expected}
    report = run(sync.push())
    assert report.new_conflicts == []
    assert server.files() == {"a": expected} and sync.model.pending_count() == 0
    assert storage_conflicts(sync) == {}


def test_resolving_mine_keeps_edits_made_after_the_conflict(
    sync: ProjectSync, server: FakeServer
) -> None:
    opened(sync, server, {"a": b"base"})
    sync.model.write("a", b"mine")
    server.other_put("a", b"theirs")
    run(sync.push())
    sync.model.write("a", b"mine, edited further")
    run(sync.resolve("a", "mine"))
    run(sync.push())
    assert server.files() == {"a": b"mine, edited further"}


def test_an_unknown_choice_is_refused(sync: ProjectSync, server: FakeServer) -> None:
    opened(sync, server, {"a": b"base"})
    sync.model.write("a", b"mine")
    server.other_put("a", b"theirs")
    run(sync.push())
    with pytest.raises(ValueError, match="unknown choice"):
        sync.conflicts.resolve(sync.model, "a", "both")


def test_a_file_created_on_both_sides(sync: ProjectSync, server: FakeServer) -> None:
    sync.model.write("new.txt", b"mine")
    server.other_put("new.txt", b"theirs")
    [conflict] = run(sync.push()).new_conflicts
    assert (conflict.mine, conflict.theirs, conflict.their_version) == (b"mine", b"theirs", 1)
    run(sync.resolve("new.txt", "mine"))
    run(sync.push())
    assert server.files() == {"new.txt": b"mine"}


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_delete_against_a_concurrent_edit(
    sync: ProjectSync, server: FakeServer, choice: str
) -> None:
    opened(sync, server, {"a": b"base", "b": b"b"})
    sync.model.delete("a")
    server.other_put("a", b"theirs")
    [conflict] = run(sync.push()).new_conflicts
    assert (conflict.path, conflict.mine, conflict.theirs) == ("a", None, b"theirs")
    run(sync.resolve("a", choice))
    run(sync.push())
    expected = {"b": b"b"} if choice == "mine" else {"a": b"theirs", "b": b"b"}
    assert server.files() == expected == contents(sync)
    assert sync.model.pending_count() == 0 and len(sync.conflicts) == 0


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_rename_onto_a_path_another_client_took(
    sync: ProjectSync, server: FakeServer, choice: str
) -> None:
    opened(sync, server, {"a": b"A"})
    sync.model.rename("a", "b")
    server.other_put("b", b"their b")
    [conflict] = run(sync.push()).new_conflicts
    assert (conflict.path, conflict.server_path, conflict.mine, conflict.theirs) == (
        "b",
        "b",
        b"A",
        b"their b",
    )
    run(sync.resolve("b", choice))
    assert run(sync.push()).new_conflicts == []
    run(sync.refresh())
    assert server.files() == contents(sync)
    expected = {"b": b"A"} if choice == "mine" else {"a": b"A", "b": b"their b"}
    assert server.files() == expected and sync.model.pending_count() == 0


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_rename_of_a_file_another_client_changed(
    sync: ProjectSync, server: FakeServer, choice: str
) -> None:
    opened(sync, server, {"a": b"A"})
    sync.model.rename("a", "b")
    server.other_put("a", b"their A")
    [conflict] = run(sync.push()).new_conflicts
    assert (conflict.path, conflict.server_path, conflict.mine, conflict.theirs) == (
        "b",
        "a",
        b"A",
        b"their A",
    )
    run(sync.resolve("b", choice))
    assert run(sync.push()).new_conflicts == []
    expected = {"b": b"A"} if choice == "mine" else {"a": b"their A"}
    assert server.files() == expected == contents(sync)
    assert sync.model.pending_count() == 0


def test_rename_of_a_file_another_client_deleted_kept_as_mine(
    sync: ProjectSync, server: FakeServer
) -> None:
    opened(sync, server, {"a": b"A"})
    sync.model.rename("a", "b")
    server.other_delete("a")
    [conflict] = run(sync.push()).new_conflicts
    assert (conflict.mine, conflict.theirs, conflict.their_version) == (b"A", None, None)
    run(sync.resolve("b", "mine"))
    assert run(sync.push()).new_conflicts == []
    assert server.files() == {"b": b"A"} == contents(sync)


def test_conflicts_survive_a_reload(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    sync = opened(ProjectSync("p1", storage, server, rules), server, {"a": b"base"})
    sync.model.write("a", b"mine")
    server.other_put("a", b"theirs")
    run(sync.push())
    later = ProjectSync("p1", storage, server, rules)
    run(later.open_cached())
    assert set(later.conflicts.open) == {"a"} and contents(later) == {"a": b"mine"}
    run(later.resolve("a", "mine"))
    run(later.push())
    assert server.files() == {"a": b"mine"}


# ------------------------------------------------------------------ the local store


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
