"""client.core.outbox (what to send) and client.core.reply (folding the answer back)."""

from __future__ import annotations

from typing import Any

import pytest

from client.core import ports
from client.core.model import Base, ProjectModel, ServerFile, sha256_hex
from client.core.outbox import Op, batches, pending_ops
from client.core.reply import apply_results
from contract.rules import SyncRules

from .fake_server import FakeServer, run, seeded

BINARY = bytes(range(256))


def mirror(server: FakeServer) -> ProjectModel:
    """A model in step with everything `server` holds."""
    model = ProjectModel()
    for row in server.rows.values():
        model.adopt(
            ServerFile(
                row.path, row.version, row.sha256, row.binary, len(row.content), row.content
            ),
            row.content,
        )
    model.server_version = server.version
    model.take_touched()
    return model


def send(server: FakeServer, ops: list[Op]) -> dict[str, Any]:
    parts = {op.file.sha256: op.file.content for op in ops if op.as_part and op.file is not None}
    return run(server.sync("p1", [op.payload() for op in ops], parts, None))


def push(model: ProjectModel, server: FakeServer) -> list[Any]:
    ops = pending_ops(model)
    return apply_results(model, ops, send(server, ops))


def shape(ops: list[Op]) -> list[tuple[str, str, int | None, str | None]]:
    return [(op.kind, op.path, op.base_version, op.to) for op in ops]


# ------------------------------------------------------------------ the diff


def test_nothing_to_send_when_in_step(rules: SyncRules) -> None:
    assert pending_ops(mirror(seeded(rules, {"a": b"1"}))) == []


def test_order_is_deletes_then_renames_then_puts(rules: SyncRules) -> None:
    server = seeded(rules, {"a": b"1", "b": b"2", "c": b"3", "d": b"4"})
    model = mirror(server)
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
    server = seeded(rules, {"a": b"1"})
    model = mirror(server)
    model.rename("a", "b")
    model.rename("b", "c")
    assert shape(pending_ops(model)) == [("rename", "a", 1, "c")]
    push(model, server)
    assert server.files() == {"c": b"1"} and model.files["c"].clean


def test_rename_and_edit_go_as_delete_and_put(rules: SyncRules) -> None:
    server = seeded(rules, {"src/a.py": b"1"})
    model = mirror(server)
    model.rename("src/a.py", "lib/a.py")
    model.write("lib/a.py", b"2")
    assert shape(pending_ops(model)) == [
        ("delete", "src/a.py", 1, None),
        ("put", "lib/a.py", None, None),
    ]
    assert push(model, server) == []
    assert server.files() == {"lib/a.py": b"2"} and model.pending_count() == 0


def test_swapping_two_names_applies_cleanly(rules: SyncRules) -> None:
    server = seeded(rules, {"a": b"A", "b": b"B"})
    model = mirror(server)
    model.rename("a", "tmp")
    model.rename("b", "a")
    model.rename("tmp", "b")
    ops = pending_ops(model)
    assert all(op.kind != "rename" for op in ops)  # a rename onto a taken path is refused
    assert push(model, server) == []
    assert server.files() == {"a": b"B", "b": b"A"}
    assert model.pending_count() == 0 and pending_ops(model) == []


def test_rename_into_a_path_freed_by_another_rename(rules: SyncRules) -> None:
    server = seeded(rules, {"a": b"A", "b": b"B"})
    model = mirror(server)
    model.rename("b", "c")
    model.rename("a", "b")
    assert push(model, server) == []
    assert server.files() == {"b": b"A", "c": b"B"} and model.pending_count() == 0


def test_delete_then_recreate_is_one_put_with_the_old_base(rules: SyncRules) -> None:
    server = seeded(rules, {"a": b"1"})
    model = mirror(server)
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
    server = seeded(rules, {"a": b"1", "b": b"2", "c": b"3"})
    model = mirror(server)
    model.write("a", b"x")
    model.rename("b", "b2")
    model.delete("c")
    model.write("n", b"n")
    assert shape(pending_ops(model, skip={"a", "b", "c"})) == [("put", "n", None, None)]
    assert len(pending_ops(model, skip={"b2"})) == 3


# ------------------------------------------------------------------ batches


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


# ------------------------------------------------------------------ folding the answer


def test_the_base_becomes_what_was_sent(rules: SyncRules) -> None:
    server = FakeServer(rules)
    model = ProjectModel()
    model.write("a", b"v1")
    ops = pending_ops(model)
    answer = send(server, ops)
    model.write("a", b"v2")  # typed while the request flew
    apply_results(model, ops, answer)
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
    ops = pending_ops(model)
    answer = send(server, ops)
    model.delete("a")
    apply_results(model, ops, answer)
    assert model.tombstones == {"a": Base("a", 1, sha256_hex(b"1"))}
    assert shape(pending_ops(model)) == [("delete", "a", 1, None)]
    push(model, server)
    assert server.files() == {} and model.tombstones == {} and model.pending_count() == 0


def test_created_then_renamed_while_its_put_flew_becomes_a_rename(rules: SyncRules) -> None:
    server = FakeServer(rules)
    model = ProjectModel()
    model.write("a", b"1")
    ops = pending_ops(model)
    answer = send(server, ops)
    model.rename("a", "b")
    apply_results(model, ops, answer)
    assert shape(pending_ops(model)) == [("rename", "a", 1, "b")]
    push(model, server)
    assert server.files() == {"b": b"1"} and model.pending_count() == 0


def test_edited_then_deleted_while_its_put_flew(rules: SyncRules) -> None:
    server = seeded(rules, {"a": b"1"})
    model = mirror(server)
    model.write("a", b"2")
    ops = pending_ops(model)
    answer = send(server, ops)
    model.delete("a")
    apply_results(model, ops, answer)
    assert model.tombstones == {"a": Base("a", 2, sha256_hex(b"2"))}  # the version it made
    push(model, server)
    assert server.files() == {} and model.pending_count() == 0


def test_renamed_again_while_the_rename_flew(rules: SyncRules) -> None:
    server = seeded(rules, {"a": b"1"})
    model = mirror(server)
    model.rename("a", "b")
    ops = pending_ops(model)
    answer = send(server, ops)
    model.rename("b", "c")
    apply_results(model, ops, answer)
    assert model.files["c"].base == Base("b", 2, sha256_hex(b"1"))
    assert shape(pending_ops(model)) == [("rename", "b", 2, "c")]
    push(model, server)
    assert server.files() == {"c": b"1"}


def test_recreated_while_its_delete_flew_is_created_again(rules: SyncRules) -> None:
    server = seeded(rules, {"a": b"1"})
    model = mirror(server)
    model.delete("a")
    ops = pending_ops(model)
    answer = send(server, ops)
    model.write("a", b"2")  # takes the tombstone's base back
    apply_results(model, ops, answer)
    assert shape(pending_ops(model)) == [("put", "a", None, None)]  # the server copy is gone
    assert push(model, server) == []
    assert server.files() == {"a": b"2"} and model.pending_count() == 0


def test_a_conflict_answer_is_returned_and_changes_nothing(rules: SyncRules) -> None:
    server = seeded(rules, {"a": b"1", "b": b"2"})
    model = mirror(server)
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
    server = seeded(rules, {"a": b"1"})
    model = mirror(server)
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


# ------------------------------------------------------------------ the fake server's rules


def test_fake_server_bumps_the_version_once_per_batch_that_changes_something(
    rules: SyncRules,
) -> None:
    server = FakeServer(rules)
    answer = server.apply(
        [
            {"op": "put", "path": "a", "base_version": None, "content": "1"},
            {"op": "put", "path": "b", "base_version": None, "content": "2"},
        ],
        {},
    )
    assert answer["version"] == 1 and [r["version"] for r in answer["results"]] == [1, 1]
    stale = server.apply(
        [
            {"op": "put", "path": "a", "base_version": None, "content": "x"},
            {"op": "delete", "path": "b", "base_version": 7},
        ],
        {},
    )
    assert stale == {
        "version": 1,
        "results": [
            {
                "index": 0,
                "status": "conflict",
                "path": "a",
                "current_version": 1,
                "current_sha256": sha256_hex(b"1"),
            },
            {
                "index": 1,
                "status": "conflict",
                "path": "b",
                "current_version": 1,
                "current_sha256": sha256_hex(b"2"),
            },
        ],
    }
    server.other_put("c", b"3")
    assert server.version == 2 and server.row_of("a").version == 1


def test_fake_server_refuses_a_rename_onto_a_taken_path(rules: SyncRules) -> None:
    server = seeded(rules, {"a": b"1", "b": b"2"})
    [result] = server.apply([{"op": "rename", "path": "a", "to": "b", "base_version": 1}], {})[
        "results"
    ]
    assert result == {
        "index": 0,
        "status": "conflict",
        "path": "b",
        "current_version": 1,
        "current_sha256": sha256_hex(b"2"),
    }
    assert server.files() == {"a": b"1", "b": b"2"} and server.version == 1


@pytest.mark.parametrize(
    ("ops", "code"),
    [
        ([{"op": "put", "path": "node_modules/x.js", "content": ""}], "ignored_path"),
        ([{"op": "put", "path": "../x", "content": ""}], "invalid_path"),
        ([{"op": "put", "path": "a/b", "content": ""}], "file_in_the_way"),
        ([{"op": "put", "path": "A", "content": ""}], "case_conflict"),
        ([{"op": "put", "path": "d", "content_ref": "nope"}], "invalid"),
        ([{"op": "delete", "path": "a"}], "invalid"),
        ([{"op": "move", "path": "a"}], "invalid"),
    ],
)
def test_fake_server_refuses_bad_input_and_applies_nothing(
    rules: SyncRules,
    ops: list[dict[str, Any]],
    code: str,
) -> None:
    server = seeded(rules, {"a": b"1", "f/x": b"2"})
    with pytest.raises(ports.Refused) as caught:
        server.apply([{"op": "put", "path": "ok", "content": "fine"}, *ops], {})
    assert caught.value.code == code and server.files() == {"a": b"1", "f/x": b"2"}
    with pytest.raises(ports.Refused) as caught:
        server.apply([{"op": "put", "path": "f", "content": ""}], {})
    assert caught.value.code == "folder_in_the_way"


def test_fake_server_load_blob_and_failures(rules: SyncRules) -> None:
    server = seeded(rules, {"t": b"text", "b": BINARY})
    loaded = run(server.load("p1", None))
    assert [(f.path, f.binary, f.content) for f in loaded.files] == [
        ("b", True, None),
        ("t", False, b"text"),
    ]
    assert run(server.load("p1", loaded.etag)) is None
    assert run(server.blob("p1", sha256_hex(BINARY))) == BINARY
    with pytest.raises(ports.Refused):
        run(server.blob("p1", sha256_hex(b"never stored")))
    server.go_offline(times=2)
    server.sign_out()
    for expected in (ports.Offline, ports.Offline, ports.SignedOut):
        with pytest.raises(expected):
            run(server.load("p1", None))
    assert run(server.load("p1", None)) is not None
    assert [c.method for c in server.calls] == ["load"] * 2 + ["blob"] * 2 + ["load"] * 4
