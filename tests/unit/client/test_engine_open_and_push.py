"""client.core.engine: open (cache, then server), and push: the server left holding the
local state, in requests within the limits, losing nothing when one fails."""

from __future__ import annotations

import dataclasses

import pytest

from client.core import ports
from client.core.engine import ProjectSync, server_file
from client.core.model import ServerFile, sha256_hex
from client.core.ports import MemoryStorage
from contract.rules import SyncRules

from .conftest import BINARY, contents, opened
from .fake_server import FakeServer, run


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


def renamed_and_edited(storage: MemoryStorage, server: FakeServer, rules: SyncRules) -> ProjectSync:
    """One operation per request; `a` renamed to `b` and edited: a delete, then a put."""
    sync = ProjectSync("p1", storage, server, dataclasses.replace(rules, max_ops_per_sync=1))
    opened(sync, server, {"a": b"1"})
    sync.model.rename("a", "b")
    sync.model.write("b", b"2")
    return sync


def test_a_rename_and_edit_split_over_two_requests(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    sync = renamed_and_edited(storage, server, rules)
    assert run(sync.push()).requests == 2  # delete a, then put b
    assert server.files() == {"b": b"2"} and sync.model.pending_count() == 0
    assert run(sync.push()).requests == 0


def test_a_rename_and_edit_whose_second_request_fails(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    sync = renamed_and_edited(storage, server, rules)
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
