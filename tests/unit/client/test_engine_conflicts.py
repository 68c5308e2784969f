"""client.core.engine: concurrent changes become conflicts with both versions kept, and
resolving one lets the next push through; conflicts survive a reload."""

from __future__ import annotations

import pytest

from client.core.engine import ProjectSync
from client.core.ports import MemoryStorage
from contract.rules import SyncRules

from .conftest import contents, opened
from .fake_server import FakeServer, run


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


def rename_conflict_resolved(
    sync: ProjectSync, server: FakeServer, path: str, theirs: bytes, choice: str
) -> None:
    """`a` renamed to `b` here while another client wrote `path`: one conflict, on `b`, with
    both versions; resolving it by `choice` lets the next push through."""
    opened(sync, server, {"a": b"A"})
    sync.model.rename("a", "b")
    server.other_put(path, theirs)
    [conflict] = run(sync.push()).new_conflicts
    assert (conflict.path, conflict.server_path, conflict.mine, conflict.theirs) == (
        "b",
        path,
        b"A",
        theirs,
    )
    run(sync.resolve("b", choice))
    assert run(sync.push()).new_conflicts == []


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_rename_onto_a_path_another_client_took(
    sync: ProjectSync, server: FakeServer, choice: str
) -> None:
    rename_conflict_resolved(sync, server, "b", b"their b", choice)
    run(sync.refresh())
    assert server.files() == contents(sync)
    expected = {"b": b"A"} if choice == "mine" else {"a": b"A", "b": b"their b"}
    assert server.files() == expected and sync.model.pending_count() == 0


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_rename_of_a_file_another_client_changed(
    sync: ProjectSync, server: FakeServer, choice: str
) -> None:
    rename_conflict_resolved(sync, server, "a", b"their A", choice)
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
