"""client.core.reconcile: the cached copy meets the server's, file by file."""

from __future__ import annotations

from client.core.engine import ProjectSync
from client.core.model import Base, ProjectModel, ServerFile, sha256_hex
from client.core.outbox import pending_ops
from client.core.reconcile import Reconciliation, reconcile
from contract.rules import SyncRules

from .conftest import BINARY, in_step
from .fake_server import FakeServer, run, seeded


def snapshot(server: FakeServer) -> list[ServerFile]:
    loaded = run(server.load("p1", None))
    assert loaded is not None
    return loaded.files


def reconciled(model: ProjectModel, server: FakeServer) -> Reconciliation:
    """The server's current load reconciled into `model`."""
    return reconcile(model, snapshot(server), server.version)


def contents(model: ProjectModel) -> dict[str, bytes]:
    return {path: local.content for path, local in model.files.items()}


def test_server_moved_on_and_ours_clean_takes_theirs(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1", "b": b"2"})
    server.other_put("a", b"new")
    out = reconciled(model, server)
    assert out.updated == ["a"] and out.conflicts == [] and out.added == out.removed == []
    assert contents(model) == {"a": b"new", "b": b"2"}
    assert model.files["a"].base == Base("a", 2, sha256_hex(b"new"))
    assert model.pending_count() == 0 and model.server_version == 2


def test_ours_changed_and_server_did_not_keeps_ours(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.write("a", b"mine")
    out = reconciled(model, server)
    assert (out.updated, out.conflicts) == ([], [])
    assert contents(model) == {"a": b"mine"} and model.pending_count() == 1


def test_both_changed_differently_is_a_conflict_with_both_kept(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.write("a", b"mine")
    server.other_put("a", b"theirs")
    out = reconciled(model, server)
    [conflict] = out.conflicts
    assert (conflict.path, conflict.server_path, conflict.mine, conflict.theirs) == (
        "a",
        "a",
        b"mine",
        b"theirs",
    )
    assert (conflict.their_version, conflict.their_sha256) == (2, sha256_hex(b"theirs"))
    assert contents(model) == {"a": b"mine"}  # ours untouched until the user chooses


def test_both_changed_to_the_same_content_is_in_step(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.write("a", b"same")
    server.other_put("a", b"same")
    out = reconciled(model, server)
    assert out.conflicts == [] and out.updated == []
    assert model.files["a"].base == Base("a", 2, sha256_hex(b"same"))
    assert model.pending_count() == 0


def test_server_deleted_and_ours_clean_deletes_here(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1", "b": b"2"})
    server.other_delete("a")
    out = reconciled(model, server)
    assert out.removed == ["a"] and contents(model) == {"b": b"2"}
    assert model.tombstones == {} and model.pending_count() == 0


def test_server_deleted_and_ours_changed_is_a_conflict(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.write("a", b"mine")
    server.other_delete("a")
    [conflict] = reconciled(model, server).conflicts
    assert (conflict.mine, conflict.theirs, conflict.their_version) == (b"mine", None, None)
    assert contents(model) == {"a": b"mine"}


def test_a_server_file_we_never_saw_is_added(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    server.other_put("dir/new.txt", b"hello")
    out = reconciled(model, server)
    assert out.added == ["dir/new.txt"]
    assert model.files["dir/new.txt"].clean


def test_a_new_local_file_meets_a_server_file_of_that_name(rules: SyncRules) -> None:
    server = seeded(rules, {"same": b"x", "differs": b"theirs"})
    model = ProjectModel()
    model.write("same", b"x")
    model.write("differs", b"mine")
    out = reconciled(model, server)
    assert model.files["same"].clean
    [conflict] = out.conflicts
    assert (conflict.path, conflict.mine, conflict.theirs) == ("differs", b"mine", b"theirs")


def test_a_new_local_file_is_kept_for_the_next_push(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.write("mine.txt", b"m")
    out = reconciled(model, server)
    assert out.conflicts == [] and contents(model) == {"a": b"1", "mine.txt": b"m"}


def test_renamed_here_and_changed_there_takes_their_content_in_our_place(
    rules: SyncRules,
) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.rename("a", "b")
    server.other_put("a", b"theirs")
    out = reconciled(model, server)
    assert out.updated == ["b"] and out.conflicts == [] and out.added == []
    assert contents(model) == {"b": b"theirs"}
    assert [(op.kind, op.path, op.base_version, op.to) for op in pending_ops(model)] == [
        ("rename", "a", 2, "b")
    ]


def test_tombstone_and_server_unchanged_keeps_the_delete(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.delete("a")
    out = reconciled(model, server)
    assert out.conflicts == [] and out.added == [] and "a" in model.tombstones
    assert contents(model) == {}


def test_tombstone_and_server_deleted_too_is_forgotten(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.delete("a")
    server.other_delete("a")
    reconciled(model, server)
    assert model.tombstones == {} and model.pending_count() == 0


def test_tombstone_and_server_changed_is_a_conflict(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.delete("a")
    server.other_put("a", b"theirs")
    [conflict] = reconciled(model, server).conflicts
    assert (conflict.path, conflict.mine, conflict.theirs, conflict.their_version) == (
        "a",
        None,
        b"theirs",
        2,
    )
    assert contents(model) == {}


def test_tombstone_and_server_rewrote_the_same_content_still_deletes(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.delete("a")
    server.other_put("a", b"1")  # a new version, the content we deleted
    out = reconciled(model, server)
    assert out.conflicts == []
    assert [(op.kind, op.path, op.base_version) for op in pending_ops(model)] == [
        ("delete", "a", 2)
    ]


def test_binary_server_files_wait_for_their_content(rules: SyncRules) -> None:
    server = seeded(rules, {"img.bin": BINARY})
    model = ProjectModel()
    out = reconciled(model, server)
    assert [f.path for f in out.need_content] == ["img.bin"] and out.added == []
    assert model.files == {}


def test_refresh_fetches_binary_content_by_hash(sync: ProjectSync, server: FakeServer) -> None:
    server.other_put("img.bin", BINARY)
    server.other_put("t.txt", b"text")
    out = run(sync.refresh())
    assert out is not None and sorted(out.added) == ["img.bin", "t.txt"]
    assert contents(sync.model) == {"img.bin": BINARY, "t.txt": b"text"}
    assert sync.model.files["img.bin"].binary and sync.model.pending_count() == 0
    assert [c.args["sha256"] for c in server.calls if c.method == "blob"] == [sha256_hex(BINARY)]


def test_refresh_updates_a_changed_binary_file(sync: ProjectSync, server: FakeServer) -> None:
    server.other_put("img.bin", BINARY)
    run(sync.refresh())
    server.other_put("img.bin", BINARY[::-1])
    out = run(sync.refresh())
    assert out is not None and out.updated == ["img.bin"] and out.added == []
    assert contents(sync.model) == {"img.bin": BINARY[::-1]}


def test_renamed_binary_file_changed_there_is_no_conflict(
    sync: ProjectSync,
    server: FakeServer,
) -> None:
    server.other_put("a.bin", BINARY)
    run(sync.refresh())
    sync.model.rename("a.bin", "b.bin")
    server.other_put("a.bin", BINARY[:10])
    out = run(sync.refresh())
    assert out is not None and out.conflicts == [] and len(sync.conflicts) == 0
    assert contents(sync.model) == {"b.bin": BINARY[:10]}
    run(sync.push())
    assert server.files() == {"b.bin": BINARY[:10]}


def test_binary_conflict_fetches_their_bytes(sync: ProjectSync, server: FakeServer) -> None:
    server.other_put("a.bin", BINARY)
    run(sync.refresh())
    sync.model.write("a.bin", b"\x00mine", binary=True)
    server.other_put("a.bin", b"\x00theirs")
    out = run(sync.refresh())
    assert out is not None
    [conflict] = sync.conflicts.open.values()
    assert (conflict.mine, conflict.theirs, conflict.binary) == (b"\x00mine", b"\x00theirs", True)


def test_refresh_is_a_no_op_while_the_etag_matches(sync: ProjectSync, server: FakeServer) -> None:
    server.other_put("a", b"1")
    assert run(sync.refresh()) is not None
    assert run(sync.refresh()) is None
    assert [c.args["etag"] for c in server.calls if c.method == "load"] == [None, '"p1:1"']
