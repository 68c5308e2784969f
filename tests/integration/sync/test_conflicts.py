"""Conflicts in a sync batch: a stale base is a per-file conflict while the rest applies,
and of two clients racing on one file, one wins."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

from tests.support.api import Api

from .conftest import conflict, delete, ok_sync, project_info, put, rename, sha, stored


def test_stale_bases_are_conflicts_and_the_rest_applies(api: Api, pid: str) -> None:
    ok_sync(
        api, pid, [put("a.txt", "a1"), put("b.txt", "b1"), put("d.txt", "d1"), put("r.txt", "r1")]
    )
    ok_sync(api, pid, [put("a.txt", "a2", 1), put("d.txt", "d2", 1), put("r.txt", "r2", 1)])
    response = api.sync(
        pid,
        [
            put("a.txt", "mine", 1),
            put("b.txt", "b2", 1),
            put("c.txt", "c"),
            delete("d.txt", 1),
            rename("r.txt", "s.txt", 1),
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 3
    assert body["results"][0] == conflict(0, "a.txt", 2, "a2")
    assert [(r["status"], r["version"]) for r in body["results"][1:3]] == [("ok", 3), ("ok", 3)]
    assert body["results"][3:] == [conflict(3, "d.txt", 2, "d2"), conflict(4, "r.txt", 2, "r2")]
    assert stored(api, pid) == {
        "a.txt": ("a2", 2),
        "b.txt": ("b2", 3),
        "c.txt": ("c", 3),
        "d.txt": ("d2", 2),
        "r.txt": ("r2", 2),
    }
    # A batch of conflicts only leaves the version alone.
    body = api.sync(pid, [put("a.txt", "x", 7)]).json()
    assert body["version"] == 3 == project_info(api, pid)["version"]


def test_conflict_on_a_file_that_is_gone_has_null_current(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a")])
    ok_sync(api, pid, [delete("a.txt", 1)])
    body = api.sync(
        pid,
        [
            put("a.txt", "again", 1),
            delete("a.txt", 1),
            rename("a.txt", "b.txt", 1),
            delete("never.txt", 5),
        ],
    ).json()
    assert [r["status"] for r in body["results"]] == ["conflict"] * 4
    for result in body["results"]:
        assert result["current_version"] is None and result["current_sha256"] is None
    assert api.files(pid) == {}
    assert body["version"] == 2 == project_info(api, pid)["version"]


def test_creating_or_renaming_onto_an_existing_file_is_a_conflict(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "theirs"), put("src.txt", "source"), put("readme.md", "r")])
    body = api.sync(
        pid,
        [
            put("a.txt", "mine"),
            rename("src.txt", "a.txt", 1),
            rename("src.txt", "README.md", 1),
            put("x.txt", "x"),
        ],
    ).json()
    assert body["results"][0] == conflict(0, "a.txt", 1, "theirs")
    rename_conflict = body["results"][1]
    assert rename_conflict["status"] == "conflict"
    assert rename_conflict["current_version"] == 1
    assert rename_conflict["current_sha256"] == sha("theirs")
    assert body["results"][2]["status"] == "conflict"  # another spelling of readme.md
    assert body["results"][3]["status"] == "ok"
    assert stored(api, pid) == {
        "a.txt": ("theirs", 1),
        "src.txt": ("source", 1),
        "readme.md": ("r", 1),
        "x.txt": ("x", 2),
    }


def _race(
    clients: list[Api], pid: str, ops_for: Callable[[int], list[dict[str, Any]]]
) -> list[Any]:
    barrier = threading.Barrier(len(clients))
    responses: list[Any] = [None] * len(clients)

    def run(i: int) -> None:
        barrier.wait()
        responses[i] = clients[i].sync(pid, ops_for(i))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(r is not None for r in responses), "a sync did not finish"
    return responses


def _two_tabs(new_api: Callable[[], Api]) -> tuple[Api, Api, str]:
    """Two clients of one user (two tabs or two devices), each with its own app instance."""
    first, second = new_api(), new_api()
    email = "racer@example.com"
    first.signup(email)
    assert second.signin(email).status_code == 200
    return first, second, str(first.new_project("race")["id"])


def test_concurrent_updates_of_one_file_one_wins(new_api: Callable[[], Api]) -> None:
    first, second, pid = _two_tabs(new_api)
    ok_sync(first, pid, [put("shared.txt", "start")])
    for round_ in range(6):
        base = first.files(pid)["shared.txt"]["version"]

        def same_file(i: int, r: int = round_, b: int = base) -> list[dict[str, Any]]:
            return [put("shared.txt", f"tab{i}-r{r}", b)]

        responses = _race([first, second], pid, same_file)
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        results = [r.json()["results"][0] for r in responses]
        assert sorted(r["status"] for r in results) == ["conflict", "ok"], results
        winner = next(i for i, r in enumerate(results) if r["status"] == "ok")
        loser = results[1 - winner]
        stored = first.files(pid)["shared.txt"]
        assert stored["content"] == f"tab{winner}-r{round_}"
        assert stored["version"] == results[winner]["version"] == base + 1
        assert loser["current_version"] == base + 1
        assert loser["current_sha256"] == sha(f"tab{winner}-r{round_}")


def test_concurrent_creations_one_wins_and_other_files_both_apply(
    new_api: Callable[[], Api],
) -> None:
    first, second, pid = _two_tabs(new_api)
    for round_ in range(4):
        path = f"new{round_}.txt"

        def new_file(i: int, p: str = path) -> list[dict[str, Any]]:
            return [put(p, f"from {i}")]

        responses = _race([first, second], pid, new_file)
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        results = [r.json()["results"][0] for r in responses]
        assert sorted(r["status"] for r in results) == ["conflict", "ok"]
        winner = next(i for i, r in enumerate(results) if r["status"] == "ok")
        assert first.files(pid)[path]["content"] == f"from {winner}"
    version = project_info(first, pid)["version"]
    assert version == 4
    # Different files at once: both apply, one after the other, each with its own version.
    for round_ in range(3):

        def own_file(i: int, r: int = round_) -> list[dict[str, Any]]:
            return [put(f"t{i}/f{r}.txt", "x")]

        responses = _race([first, second], pid, own_file)
        versions = sorted(r.json()["version"] for r in responses)
        assert versions == [version + 1, version + 2]
        version += 2
    info = project_info(first, pid)
    assert info["version"] == version and info["file_count"] == 4 + 6


def test_conflict_on_a_file_written_earlier_in_the_batch(api: Api) -> None:
    """SERVER BUG (fails today): a conflict result leaks the placeholder version -1.

    server/sync.py gives files written by the running batch the version `_NEW = -1` until
    the batch commits. When a later op of the same batch conflicts with such a file, the
    conflict result's `current_version` is that -1, a version that never exists: a client
    that records it as "the server's version" (to retry or to show both copies) bases its
    next push on -1, which the server refuses as invalid (422). It should be the version
    the batch commits (the response's `version`), as every later load shows.
    """
    project_id = api.new_project("pending")["id"]
    response = api.sync(
        project_id,
        [
            {"op": "put", "path": "a.txt", "content": "one"},
            {"op": "put", "path": "a.txt", "content": "two"},  # a second create: conflict
        ],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    ok, conflict = body["results"]
    assert ok["status"] == "ok" and conflict["status"] == "conflict"
    assert conflict["current_sha256"] == hashlib.sha256(b"one").hexdigest()
    assert conflict["current_version"] == body["version"] == 1
