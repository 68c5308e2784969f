"""The Storage contract: what every local store behind client.core.ports.Storage must do.

Written once, run against each store:
- under CPython against MemoryStorage (tests/unit/test_storage_contract.py), and
- inside Chromium against IndexedDbStore over the real IndexedDB
  (tests/e2e/test_storage_contract.py hands this file to a second Pyodide in the page,
  which runs every check and reports JSON).

Each check is `async def contract_NAME(open_store, project)`: `open_store()` gives a
handle on the storage under test (each call another handle on the same storage, as a
page reloaded would get), and `project` is an id no other check uses. Only client.core
and the standard library are used, so the file runs in both places unchanged.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from client.core.conflicts import Conflict
from client.core.model import Base, LocalFile
from client.core.ports import Storage, StoredProject

OpenStore = Callable[[], Storage]

TEXT = LocalFile("src/main.py", b"print('hi')\n", False, Base("src/main.py", 3, "a" * 64))
BINARY = LocalFile("img/logo.png", bytes(range(256)) * 3, True)  # never on the server
EMPTY = LocalFile("empty.txt", b"", False)
ODD = LocalFile("docs/ünï cödé/a b.md", "# Grüße\n".encode(), False, Base("old.md", 1, "b" * 64))
TOMBSTONE = Base("gone.txt", 7, "c" * 64)
CONFLICT = Conflict("both.txt", "both.txt", b"mine\n", b"theirs\n", 9, "d" * 64)
DELETED_HERE = Conflict("del.txt", "del.txt", None, b"\x00\xff", 4, "e" * 64, binary=True)
DELETED_THERE = Conflict("moved.txt", "elsewhere.txt", b"kept\n", None, None, None)


async def loaded(open_store: OpenStore, project: str) -> StoredProject:
    stored = await open_store().load(project)
    assert stored is not None, f"{project} did not load"
    return stored


# ---------------------------------------------------------------- files


async def contract_an_unknown_project_loads_as_none(open_store: OpenStore, project: str) -> None:
    assert await open_store().load(project) is None


async def contract_files_load_back_as_saved(open_store: OpenStore, project: str) -> None:
    await open_store().save(project, [TEXT, BINARY, EMPTY, ODD], [], StoredProject())
    stored = await loaded(open_store, project)
    assert stored.files == {f.path: f for f in (TEXT, BINARY, EMPTY, ODD)}
    assert isinstance(stored.files[BINARY.path].content, bytes)
    assert stored.files[TEXT.path].clean is False  # the base's sha256 is not the content's


async def contract_a_save_writes_only_what_it_names(open_store: OpenStore, project: str) -> None:
    store = open_store()
    await store.save(project, [TEXT, BINARY], [], StoredProject())
    edited = LocalFile(TEXT.path, b"print('edited')\n", False, TEXT.base)
    await store.save(project, [edited], [], StoredProject())
    stored = await loaded(open_store, project)
    assert stored.files == {TEXT.path: edited, BINARY.path: BINARY}


async def contract_removed_paths_are_dropped(open_store: OpenStore, project: str) -> None:
    store = open_store()
    await store.save(project, [TEXT, BINARY, EMPTY], [], StoredProject())
    await store.save(project, [], [BINARY.path, "never/was.txt"], StoredProject())
    stored = await loaded(open_store, project)
    assert sorted(stored.files) == sorted([TEXT.path, EMPTY.path])


async def contract_a_path_removed_and_written_in_one_save_is_written(
    open_store: OpenStore, project: str
) -> None:
    store = open_store()
    await store.save(project, [TEXT], [], StoredProject())
    again = LocalFile(TEXT.path, b"again\n", False)
    await store.save(project, [again], [TEXT.path], StoredProject())
    assert (await loaded(open_store, project)).files == {TEXT.path: again}


async def contract_removing_every_file_keeps_the_project(
    open_store: OpenStore, project: str
) -> None:
    store = open_store()
    await store.save(project, [TEXT], [], StoredProject(server_version=2))
    await store.save(project, [], [TEXT.path], StoredProject(server_version=3))
    stored = await loaded(open_store, project)
    assert (stored.files, stored.server_version) == ({}, 3)


# ---------------------------------------------------------------- state beside the files


async def contract_state_loads_back_as_saved(open_store: OpenStore, project: str) -> None:
    state = StoredProject(
        files={"ignored.txt": EMPTY},  # save() takes files from `changed` only
        tombstones={TOMBSTONE.path: TOMBSTONE},
        conflicts={c.path: c for c in (CONFLICT, DELETED_HERE, DELETED_THERE)},
        server_version=12,
        etag='W/"12-abc"',
        inflight={"src/main.py": "f" * 64},
    )
    await open_store().save(project, [TEXT], [], state)
    stored = await loaded(open_store, project)
    assert stored.files == {TEXT.path: TEXT}
    assert stored.tombstones == state.tombstones
    assert stored.conflicts == state.conflicts
    assert (stored.server_version, stored.etag) == (12, 'W/"12-abc"')
    assert stored.inflight == state.inflight


async def contract_each_save_replaces_the_state(open_store: OpenStore, project: str) -> None:
    store = open_store()
    full = StoredProject(
        tombstones={TOMBSTONE.path: TOMBSTONE},
        conflicts={CONFLICT.path: CONFLICT},
        server_version=5,
        etag="e5",
        inflight={"a": "1"},
    )
    await store.save(project, [TEXT], [], full)
    await store.save(project, [], [], StoredProject(server_version=6))
    stored = await loaded(open_store, project)
    assert (stored.tombstones, stored.conflicts, stored.inflight) == ({}, {}, {})
    assert (stored.server_version, stored.etag) == (6, None)
    assert stored.files == {TEXT.path: TEXT}


async def contract_a_project_of_state_alone_loads(open_store: OpenStore, project: str) -> None:
    await open_store().save(project, [], [], StoredProject(server_version=1, etag="e1"))
    stored = await loaded(open_store, project)
    assert (stored.files, stored.server_version, stored.etag) == ({}, 1, "e1")


# ---------------------------------------------------------------- handles and projects


async def contract_another_handle_sees_what_one_saved(open_store: OpenStore, project: str) -> None:
    await open_store().save(project, [ODD], [], StoredProject(server_version=4))
    stored = await open_store().load(project)
    assert stored is not None and stored.files == {ODD.path: ODD}
    assert stored.server_version == 4


async def contract_projects_are_kept_apart(open_store: OpenStore, project: str) -> None:
    store = open_store()
    other = project + "-other"
    await store.save(project, [TEXT], [], StoredProject(server_version=1))
    await store.save(other, [BINARY], [], StoredProject(server_version=2))
    await store.save(other, [], [TEXT.path], StoredProject(server_version=3))  # not its file
    mine, theirs = await loaded(open_store, project), await loaded(open_store, other)
    assert (mine.files, mine.server_version) == ({TEXT.path: TEXT}, 1)
    assert (theirs.files, theirs.server_version) == ({BINARY.path: BINARY}, 3)


async def contract_a_loaded_copy_is_the_caller_s(open_store: OpenStore, project: str) -> None:
    store = open_store()
    await store.save(project, [TEXT], [], StoredProject(tombstones={TOMBSTONE.path: TOMBSTONE}))
    first = await loaded(open_store, project)
    first.files.clear()
    first.tombstones.clear()
    first.inflight["x"] = "y"
    again = await store.load(project)
    assert again is not None and again.files == {TEXT.path: TEXT}
    assert (again.tombstones, again.inflight) == ({TOMBSTONE.path: TOMBSTONE}, {})


CONTRACTS = {
    name: value
    for name, value in dict(globals()).items()
    if name.startswith("contract_") and callable(value)
}


async def run_all(open_store: OpenStore, prefix: str) -> dict[str, str]:
    """Every contract against the storage `open_store` opens, each with a project id of
    its own under `prefix`: name -> "passed" or the failure. Used by the in-page runner;
    pytest runs them one by one."""
    results: dict[str, str] = {}
    for name, check in CONTRACTS.items():
        try:
            await check(open_store, f"{prefix}{name}")
            results[name] = "passed"
        except Exception as error:  # reported, not raised: the page hands back JSON
            results[name] = "".join(traceback.format_exception(error))[-1500:]
    return results
