"""client/adapters/indexeddb.py over an in-memory stand-in for client/glue/idb.mjs: the
Storage contract (tests/contract) holds through the adapter's conversions to and from
the records IndexedDB keeps, and a browser that refuses IndexedDB says so."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from client.core.model import Base, LocalFile, sha256_hex
from client.core.ports import StoredProject
from tests.contract.storage_contract import CONTRACTS

from .conftest import Browser, arun


class Idb:
    """idb.mjs over dicts: rows keyed [project, path], one meta row per project, and
    structured clones in and out (what is stored is never the caller's object)."""

    def __init__(self, refuse: Exception | None = None, persist: bool = True) -> None:
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}
        self.meta: dict[str, dict[str, Any]] = {}
        self.refuse, self.persisted = refuse, persist
        self.opened = 0

    async def open(self) -> str:
        self.opened += 1
        if self.refuse is not None:
            raise self.refuse
        return "db"

    async def persist(self) -> bool:
        return self.persisted

    async def loadProject(self, _db: str, project: str) -> dict[str, Any]:  # noqa: N802
        files = [row for (owner, _path), row in sorted(self.rows.items()) if owner == project]
        return copy.deepcopy({"files": files, "meta": self.meta.get(project)})

    async def saveProject(  # noqa: N802
        self, _db: str, project: str, changed: Any, removed: Any, meta: Any
    ) -> None:
        for path in removed:
            self.rows.pop((project, path), None)
        for row in copy.deepcopy(changed):
            self.rows[(project, row["path"])] = {**row, "project": project}
        self.meta[project] = {**copy.deepcopy(meta), "project": project}

    async def deleteProject(self, _db: str, project: str) -> None:  # noqa: N802
        self.rows = {key: row for key, row in self.rows.items() if key[0] != project}
        self.meta.pop(project, None)

    async def listProjects(self, _db: str) -> list[str]:  # noqa: N802
        return sorted(self.meta)


def store_over(browser: Browser, monkeypatch: pytest.MonkeyPatch, idb: Idb) -> type:
    """The adapter's class, its glue module answered by `idb`."""
    modules = browser.load("client.ffi.modules")

    async def load(_url: str) -> Idb:
        return idb

    monkeypatch.setattr(modules, "load", load)
    store: type = browser.load("client.adapters.indexeddb").IndexedDbStore
    return store


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_indexeddb_store_keeps_the_storage_contract(
    browser: Browser, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    idb = Idb()
    store = store_over(browser, monkeypatch, idb)
    arun(lambda: CONTRACTS[name](store, "project-1"))


def test_the_records_are_what_idb_mjs_keeps(
    browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The field names are shared with the JS side and with data already in browsers:
    a rename here would lose every project stored."""
    idb = Idb()
    store = store_over(browser, monkeypatch, idb)()
    text = LocalFile("a.txt", b"a", False, Base("old.txt", 2, "f" * 64))
    state = StoredProject({}, {"g": Base("g", 5, "e" * 64)}, {}, 9, '"v9"', {"a.txt": "d" * 64})
    arun(lambda: store.save("p1", [text], [], state))
    assert idb.rows[("p1", "a.txt")] == {
        "path": "a.txt",
        "content": b"a",
        "binary": False,
        "sha256": sha256_hex(b"a"),
        "base": {"path": "old.txt", "version": 2, "sha256": "f" * 64},
        "project": "p1",
    }
    assert idb.meta["p1"] == {
        "tombstones": [{"path": "g", "version": 5, "sha256": "e" * 64}],
        "conflicts": [],
        "serverVersion": 9,
        "etag": '"v9"',
        "inflight": {"a.txt": "d" * 64},
        "project": "p1",
    }
    assert arun(store.project_ids) == {"p1"}
    arun(lambda: store.delete("p1"))
    assert arun(store.project_ids) == set() and arun(lambda: store.load("p1")) is None


def test_rows_written_by_older_pages_still_load(
    browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row without its sha256 gets it computed; a meta row missing a field (or none at
    all) means the defaults; versions stored as strings come back as numbers."""
    idb = Idb()
    idb.rows[("p1", "a.txt")] = {"path": "a.txt", "content": b"hi", "binary": 0, "base": None}
    idb.rows[("p1", "b.txt")] = {
        "path": "b.txt",
        "content": b"b",
        "binary": False,
        "sha256": None,
        "base": {"path": "b.txt", "version": "4", "sha256": "c" * 64},
    }
    store = store_over(browser, monkeypatch, idb)()
    loaded = arun(lambda: store.load("p1"))
    assert loaded == StoredProject(
        {
            "a.txt": LocalFile("a.txt", b"hi", False),
            "b.txt": LocalFile("b.txt", b"b", False, Base("b.txt", 4, "c" * 64)),
        },
        {},
        {},
        0,
        None,
        {},
    )
    assert loaded.files["a.txt"].sha256 == sha256_hex(b"hi")
    idb.meta["p1"] = {"project": "p1", "serverVersion": "12"}
    assert arun(lambda: store.load("p1")).server_version == 12


def test_a_browser_that_refuses_indexeddb_says_so_every_time(
    browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    idb = Idb(refuse=RuntimeError("NotSupportedError: IndexedDB is not available"))
    module = browser.load("client.adapters.indexeddb")
    store = store_over(browser, monkeypatch, idb)()
    for _ in range(2):  # not cached as open: each call tries again
        with pytest.raises(module.StorageUnavailable) as caught:
            arun(lambda: store.load("p1"))
        assert str(caught.value) == (
            "this browser will not open IndexedDB: NotSupportedError: IndexedDB is not available"
        )
    assert idb.opened == 2 and store.persisted is False


@pytest.mark.parametrize("granted", [True, False])
def test_it_opens_once_and_knows_whether_the_data_may_be_evicted(
    browser: Browser, monkeypatch: pytest.MonkeyPatch, granted: bool
) -> None:
    idb = Idb(persist=granted)
    store = store_over(browser, monkeypatch, idb)()
    arun(lambda: store.load("p1"))
    arun(store.project_ids)
    assert idb.opened == 1 and store.persisted is granted
