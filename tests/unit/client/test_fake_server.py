"""The fake server's own rules (fake_batches.py), held to server/sync.py's: one version per
batch that changes something, refusals that apply nothing, loads, blobs and failures."""

from __future__ import annotations

from typing import Any

import pytest

from client.core import ports
from client.core.model import sha256_hex
from contract.rules import SyncRules

from .conftest import BINARY
from .fake_server import FakeServer, run, seeded


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
