"""client.core.reply: folding the server's answer back into the model, including what
changed while the request flew."""

from __future__ import annotations

from collections.abc import Callable

from client.core.model import Base, ProjectModel, sha256_hex
from client.core.outbox import pending_ops
from client.core.reply import apply_results
from contract.rules import SyncRules

from .conftest import in_step, push, send, shape
from .fake_server import FakeServer


def in_flight(server: FakeServer, model: ProjectModel, meanwhile: Callable[[], object]) -> None:
    """Push what `model` has pending, run `meanwhile` while the request flies, fold the
    answer back."""
    ops = pending_ops(model)
    answer = send(server, ops)
    meanwhile()
    apply_results(model, ops, answer)


def test_the_base_becomes_what_was_sent(rules: SyncRules) -> None:
    server = FakeServer(rules)
    model = ProjectModel()
    model.write("a", b"v1")
    in_flight(server, model, lambda: model.write("a", b"v2"))  # typed while the request flew
    local = model.get("a")
    assert local is not None and local.content == b"v2"
    assert local.base == Base("a", 1, sha256_hex(b"v1"))
    assert shape(pending_ops(model)) == [("put", "a", 1, None)]
    assert model.server_version == 1
    push(model, server)
    assert server.files() == {"a": b"v2"} and model.pending_count() == 0


def test_created_and_deleted_while_its_put_flew_leaves_a_tombstone(rules: SyncRules) -> None:
    server = FakeServer(rules)
    model = ProjectModel()
    model.write("a", b"1")
    in_flight(server, model, lambda: model.delete("a"))
    assert model.tombstones == {"a": Base("a", 1, sha256_hex(b"1"))}
    assert shape(pending_ops(model)) == [("delete", "a", 1, None)]
    push(model, server)
    assert server.files() == {} and model.tombstones == {} and model.pending_count() == 0


def test_created_then_renamed_while_its_put_flew_becomes_a_rename(rules: SyncRules) -> None:
    server = FakeServer(rules)
    model = ProjectModel()
    model.write("a", b"1")
    in_flight(server, model, lambda: model.rename("a", "b"))
    assert shape(pending_ops(model)) == [("rename", "a", 1, "b")]
    push(model, server)
    assert server.files() == {"b": b"1"} and model.pending_count() == 0


def test_edited_then_deleted_while_its_put_flew(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.write("a", b"2")
    in_flight(server, model, lambda: model.delete("a"))
    assert model.tombstones == {"a": Base("a", 2, sha256_hex(b"2"))}  # the version it made
    push(model, server)
    assert server.files() == {} and model.pending_count() == 0


def test_renamed_again_while_the_rename_flew(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.rename("a", "b")
    in_flight(server, model, lambda: model.rename("b", "c"))
    assert model.files["c"].base == Base("b", 2, sha256_hex(b"1"))
    assert shape(pending_ops(model)) == [("rename", "b", 2, "c")]
    push(model, server)
    assert server.files() == {"c": b"1"}


def test_recreated_while_its_delete_flew_is_created_again(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.delete("a")
    in_flight(server, model, lambda: model.write("a", b"2"))  # takes the tombstone's base back
    assert shape(pending_ops(model)) == [("put", "a", None, None)]  # the server copy is gone
    assert push(model, server) == []
    assert server.files() == {"a": b"2"} and model.pending_count() == 0


def test_a_conflict_answer_is_returned_and_changes_nothing(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1", "b": b"2"})
    model.write("a", b"mine")
    model.write("b", b"fine")
    server.other_put("a", b"theirs")
    refused = push(model, server)
    assert [(r.op.path, r.current_version, r.current_sha256) for r in refused] == [
        ("a", 2, sha256_hex(b"theirs"))
    ]
    kept = model.files["a"].base
    assert kept is not None and kept.version == 1
    assert model.files["b"].clean and model.server_version == 3
    assert server.files() == {"a": b"theirs", "b": b"fine"}


def test_a_delete_of_a_renamed_and_edited_file_lands_even_when_its_put_conflicts(
    rules: SyncRules,
) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.rename("a", "b")
    model.write("b", b"2")
    server.other_put("b", b"theirs")
    refused = push(model, server)
    assert [(r.op.kind, r.op.path) for r in refused] == [("put", "b")]
    assert server.files() == {"b": b"theirs"}
    local = model.get("b")
    assert local is not None and local.content == b"2"
    assert local.base is None  # its origin is gone from the server: no stale delete follows
    assert [op.kind for op in pending_ops(model)] == ["put"]
