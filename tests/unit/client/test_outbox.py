"""client.core.outbox: what to send (deletes, then renames, then puts; rename chains, swaps,
binary parts, conflicted paths left out) and in which batches."""

from __future__ import annotations

from client.core.model import ProjectModel, sha256_hex
from client.core.outbox import Op, batches, pending_ops
from contract.rules import SyncRules

from .conftest import BINARY, in_step, mirror, push, shape
from .fake_server import FakeServer, seeded


def test_nothing_to_send_when_in_step(rules: SyncRules) -> None:
    assert pending_ops(mirror(seeded(rules, {"a": b"1"}))) == []


def test_order_is_deletes_then_renames_then_puts(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1", "b": b"2", "c": b"3", "d": b"4"})
    model.write("e", b"5")
    model.write("c", b"33")
    model.rename("b", "b2")
    model.delete("a")
    assert shape(pending_ops(model)) == [
        ("delete", "a", 1, None),
        ("rename", "b", 1, "b2"),
        ("put", "c", 1, None),
        ("put", "e", None, None),
    ]
    assert push(model, server) == []
    assert server.files() == {"b2": b"2", "c": b"33", "d": b"4", "e": b"5"}
    assert pending_ops(model) == [] and model.pending_count() == 0


def test_rename_chain_is_one_rename_from_first_to_last(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.rename("a", "b")
    model.rename("b", "c")
    assert shape(pending_ops(model)) == [("rename", "a", 1, "c")]
    push(model, server)
    assert server.files() == {"c": b"1"} and model.files["c"].clean


def test_rename_and_edit_go_as_delete_and_put(rules: SyncRules) -> None:
    server, model = in_step(rules, {"src/a.py": b"1"})
    model.rename("src/a.py", "lib/a.py")
    model.write("lib/a.py", b"2")
    assert shape(pending_ops(model)) == [
        ("delete", "src/a.py", 1, None),
        ("put", "lib/a.py", None, None),
    ]
    assert push(model, server) == []
    assert server.files() == {"lib/a.py": b"2"} and model.pending_count() == 0


def test_swapping_two_names_applies_cleanly(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"A", "b": b"B"})
    model.rename("a", "tmp")
    model.rename("b", "a")
    model.rename("tmp", "b")
    ops = pending_ops(model)
    assert all(op.kind != "rename" for op in ops)  # a rename onto a taken path is refused
    assert push(model, server) == []
    assert server.files() == {"a": b"B", "b": b"A"}
    assert model.pending_count() == 0 and pending_ops(model) == []


def test_rename_into_a_path_freed_by_another_rename(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"A", "b": b"B"})
    model.rename("b", "c")
    model.rename("a", "b")
    assert push(model, server) == []
    assert server.files() == {"b": b"A", "c": b"B"} and model.pending_count() == 0


def test_delete_then_recreate_is_one_put_with_the_old_base(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1"})
    model.delete("a")
    model.write("a", b"2")
    assert shape(pending_ops(model)) == [("put", "a", 1, None)]
    assert push(model, server) == []
    assert server.files() == {"a": b"2"}


def test_binary_put_names_its_part_and_text_put_carries_text() -> None:
    model = ProjectModel()
    model.write("img.bin", BINARY, binary=True)
    model.write("t.txt", "héllo".encode())
    binary, text = pending_ops(model)
    assert binary.payload() == {
        "op": "put",
        "path": "img.bin",
        "base_version": None,
        "content_ref": sha256_hex(BINARY),
        "binary": True,
    }
    assert text.payload() == {
        "op": "put",
        "path": "t.txt",
        "base_version": None,
        "content": "héllo",
    }
    assert binary.size == 256 and binary.local_path == "img.bin"


def test_binary_content_reaches_the_server_byte_for_byte(rules: SyncRules) -> None:
    server = FakeServer(rules)
    model = ProjectModel()
    model.write("img.bin", BINARY, binary=True)
    model.write("utf8-but-binary.dat", b"plain", binary=True)
    assert push(model, server) == []
    assert server.files() == {"img.bin": BINARY, "utf8-but-binary.dat": b"plain"}
    assert server.row_of("utf8-but-binary.dat").binary


def test_content_that_is_not_utf8_goes_as_a_part_whatever_its_flag(rules: SyncRules) -> None:
    server = FakeServer(rules)
    model = ProjectModel()
    model.write("latin1.txt", "café".encode("latin-1"))  # flagged text by mistake
    [op] = pending_ops(model)
    assert op.as_part and op.payload()["content_ref"] == sha256_hex(b"caf\xe9")
    assert push(model, server) == []
    assert server.files() == {"latin1.txt": b"caf\xe9"} and model.pending_count() == 0


def test_rename_and_delete_payloads() -> None:
    local = ProjectModel().write("b", b"")
    rename = Op("rename", "a", 3, to="b", file=local)
    assert rename.payload() == {"op": "rename", "path": "a", "base_version": 3, "to": "b"}
    assert rename.local_path == "b" and rename.size == 0
    assert Op("delete", "a", 3).payload() == {"op": "delete", "path": "a", "base_version": 3}


def test_conflicted_paths_are_skipped(rules: SyncRules) -> None:
    server, model = in_step(rules, {"a": b"1", "b": b"2", "c": b"3"})
    model.write("a", b"x")
    model.rename("b", "b2")
    model.delete("c")
    model.write("n", b"n")
    assert shape(pending_ops(model, skip={"a", "b", "c"})) == [("put", "n", None, None)]
    assert len(pending_ops(model, skip={"b2"})) == 3


def puts(sizes: list[int]) -> list[Op]:
    model = ProjectModel()
    for number, size in enumerate(sizes):
        model.write(f"f{number:03}", bytes([65 + number % 26]) * size)
    return pending_ops(model)


def test_batches_split_by_operation_count_in_order() -> None:
    ops = puts([1] * 5)
    groups = batches(ops, max_ops=2, max_bytes=10**6)
    assert [len(g) for g in groups] == [2, 2, 1]
    assert [op for g in groups for op in g] == ops


def test_batches_split_by_bytes_with_room_for_json_escaping() -> None:
    ops = puts([40, 40, 40, 10])
    groups = batches(ops, max_ops=100, max_bytes=200)  # budget: 100 bytes of content
    assert [[op.size for op in g] for g in groups] == [[40, 40], [40, 10]]


def test_an_op_larger_than_the_budget_still_goes_alone() -> None:
    groups = batches(puts([5, 500, 5]), max_ops=100, max_bytes=100)
    assert [[op.size for op in g] for g in groups] == [[5], [500], [5]]


def test_deletes_and_renames_weigh_nothing() -> None:
    ops = [Op("delete", f"d{i}", 1) for i in range(10)]
    assert len(batches(ops, max_ops=100, max_bytes=2)) == 1
    assert batches([], max_ops=1, max_bytes=1) == []
