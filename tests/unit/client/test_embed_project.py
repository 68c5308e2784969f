"""client.core.embed.MemoryProjectApi: the server side an embed syncs with, in memory.
Renames, deletes and binary files go through ProjectSync as the workbench sends them, a
second page loading the same project sees the result, and what it cannot answer it
refuses in the ports' words."""

from __future__ import annotations

from typing import Any

import pytest

from client.core.embed import MemoryProjectApi
from client.core.engine import ProjectSync
from client.core.ports import MemoryStorage, Refused
from contract.rules import SyncRules

from .fake_server import run

PNG = b"\x89PNG\r\n\x1a\n\x00\xff"


def project(*files: tuple[str, bytes, bool]) -> MemoryProjectApi:
    api = MemoryProjectApi()
    api.replace({path: (content, binary) for path, content, binary in files})
    return api


def opened(api: MemoryProjectApi, rules: SyncRules) -> ProjectSync:
    sync = ProjectSync("embed", MemoryStorage(), api, rules)
    run(sync.refresh())
    return sync


def contents(sync: ProjectSync) -> dict[str, tuple[bytes, bool]]:
    return {path: (f.content, f.binary) for path, f in sorted(sync.model.files.items())}


def test_renames_deletes_and_binaries_reach_a_second_page(rules: SyncRules) -> None:
    api = project(("src/a.py", b"a\n", False), ("logo.png", PNG, True), ("old.txt", b"o", False))
    sync = opened(api, rules)
    sync.model.rename("src/a.py", "src/b.py")
    sync.model.write("src/b.py", b"b\n")
    sync.model.delete("old.txt")
    sync.model.write("img/new.bin", bytes(range(256)), binary=True)
    report = run(sync.push())
    assert report.new_conflicts == [] and sync.pending() == []
    assert api.texts() == {"src/b.py": "b\n"}
    again = opened(api, rules)
    assert contents(again) == {
        "img/new.bin": (bytes(range(256)), True),
        "logo.png": (PNG, True),
        "src/b.py": (b"b\n", False),
    }
    assert contents(again) == contents(sync)


def test_every_push_is_a_new_version_and_the_etag_follows_it(rules: SyncRules) -> None:
    api = project(("a.txt", b"1", False))
    sync = opened(api, rules)
    first = api.version
    sync.model.write("a.txt", b"2")
    run(sync.push())
    assert api.version == first + 1
    assert api.files["a.txt"].version == api.version
    assert run(api.load("embed", f'"embed-{first}"')) is not None  # stale tag: reloaded
    snapshot = run(api.load("embed", None))
    assert snapshot is not None and snapshot.etag == f'"embed-{api.version}"'
    assert run(api.load("embed", snapshot.etag)) is None


def test_a_rename_of_a_path_it_never_had_lands_nothing() -> None:
    api = project(("a.txt", b"a", False))
    answer = run(
        api.sync("embed", [{"op": "rename", "path": "ghost.txt", "to": "b.txt"}], {}, None)
    )
    assert answer == {
        "version": api.version,
        "results": [{"index": 0, "status": "ok", "path": "b.txt", "version": api.version}],
        "revision": None,
    }
    assert set(api.files) == {"a.txt"}


def test_puts_take_text_inline_and_bytes_from_the_parts() -> None:
    api = MemoryProjectApi()
    ops: list[dict[str, Any]] = [
        {"op": "put", "path": "t.txt", "content": "héllo"},
        {"op": "put", "path": "b.bin", "content_ref": "ref1", "binary": True},
        {"op": "put", "path": "empty.txt"},
        {"op": "delete", "path": "never-there.txt"},
    ]
    answer = run(api.sync("embed", ops, {"ref1": b"\x00\x01"}, "a message is ignored"))
    assert [r["status"] for r in answer["results"]] == ["ok"] * 4
    assert answer["results"][0]["sha256"] == api.files["t.txt"].sha256
    assert (api.files["b.bin"].content, api.files["b.bin"].binary) == (b"\x00\x01", True)
    assert api.texts() == {"empty.txt": "", "t.txt": "héllo"}


def test_blobs_are_found_by_hash_and_a_missing_one_is_refused() -> None:
    api = project(("logo.png", PNG, True))
    sha = api.files["logo.png"].sha256
    assert run(api.blob("embed", sha)) == PNG
    with pytest.raises(Refused) as caught:
        run(api.blob("embed", "0" * 64))
    assert (caught.value.status, caught.value.code, str(caught.value)) == (
        404,
        "not_found",
        "no such content",
    )


def test_only_the_runtime_settings_are_answered_and_only_when_known() -> None:
    api = MemoryProjectApi()
    with pytest.raises(Refused, match="an embed has no server project"):
        run(api.call("GET", "/runtime-config"))
    api.runtime_config = {"sandbox_origin": "http://p1.localhost:8000"}
    assert run(api.call("GET", "/runtime-config")) == api.runtime_config
    for method, path in [("POST", "/runtime-config"), ("GET", "/projects/embed")]:
        with pytest.raises(Refused) as caught:
            run(api.call(method, path))
        assert caught.value.status == 404


def test_replace_starts_over_under_a_newer_version() -> None:
    api = project(("a.txt", b"a", False))
    before = api.version
    api.replace({"b.txt": (b"b", False)})
    assert api.version == before + 1 and set(api.files) == {"b.txt"}
    assert api.files["b.txt"].version == api.version
