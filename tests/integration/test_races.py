"""Requests that race on real PostgreSQL: each thread has its own client, event loop and
connection pool (as separate server processes would), and a barrier starts them together."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import psycopg

from tests.support.api import Api


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same moment; return their results."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as error:  # reported in the results, asserted by the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def same_user(new_api: Callable[[], Api], count: int) -> list[Api]:
    first = new_api()
    email = first.signup()["user"]["email"]
    clients = [first]
    for _ in range(count - 1):
        client = new_api()
        assert client.signin(email).status_code == 200
        clients.append(client)
    return clients


def test_deleting_a_project_while_another_saves_the_same_content(
    new_api: Callable[[], Api], database_url: str
) -> None:
    """Used to fail with foreign-key errors (a 500 on either side) in about 1 round in 4."""
    deleter, saver = same_user(new_api, 2)
    keeper = saver.new_project("keeper")["id"]
    statuses: list[tuple[int, int]] = []
    for round_ in range(60):
        content = f"shared content {round_} {secrets.token_hex(8)}\n"
        doomed = deleter.new_project(f"doomed {round_}")["id"]
        path = f"r{round_}.txt"
        ops = [{"op": "put", "path": path, "base_version": None, "content": content}]
        assert deleter.sync(doomed, ops, revision_message="r").status_code == 200
        delete = partial(deleter.delete, f"/api/projects/{doomed}")
        save = partial(saver.sync, keeper, ops)
        if round_ % 2:  # the other order of starting, too
            deleted, saved = together(delete, save)
        else:
            saved, deleted = together(save, delete)
        statuses.append((deleted.status_code, saved.status_code))
        assert saved.status_code == 200, saved.text
        assert deleted.status_code == 204, deleted.text
        assert saver.files(keeper)[path]["size"] == len(content.encode())
    assert set(statuses) == {(204, 200)}
    everything = saver.get(f"/api/projects/{keeper}/files").json()["files"]
    assert len(everything) == 60 and all(f["content"].startswith("shared") for f in everything)
    with psycopg.connect(database_url) as conn:
        orphans = conn.execute(
            """SELECT count(*) FROM blobs b WHERE NOT EXISTS
                 (SELECT 1 FROM files f WHERE f.sha256 = b.sha256) AND NOT EXISTS
                 (SELECT 1 FROM revision_files r WHERE r.sha256 = b.sha256)"""
        ).fetchone()
    assert orphans == (0,)


def test_a_sync_whose_operations_all_conflicted_records_no_revision(
    new_api: Callable[[], Api],
) -> None:
    """20 clients save the same file at the same base with a revision message: one wins,
    and only it records a revision (19 identical ones used to be recorded)."""
    clients = same_user(new_api, 20)
    project = clients[0].new_project()["id"]
    ops: list[dict[str, str | int | None]] = [
        {"op": "put", "path": "a.txt", "base_version": None, "content": "v0"}
    ]
    assert clients[0].sync(project, ops).status_code == 200
    ops = [{"op": "put", "path": "a.txt", "base_version": 1, "content": "v1"}]
    answers = together(
        *[lambda c=c: c.sync(project, ops, revision_message="save") for c in clients]
    )
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    bodies = [a.json() for a in answers]
    statuses = sorted(b["results"][0]["status"] for b in bodies)
    assert statuses == ["conflict"] * 19 + ["ok"]
    assert sum(b["revision"] is not None for b in bodies) == 1
    revisions = clients[0].get(f"/api/projects/{project}/revisions").json()["revisions"]
    assert len(revisions) == 1
    # A batch with nothing in it still records one: that is the client's "save revision".
    assert clients[0].sync(project, [], revision_message="named").json()["revision"]
    # A conflict alone does not.
    stale = clients[0].sync(project, ops, revision_message="stale")
    assert stale.json()["results"][0]["status"] == "conflict"
    assert stale.json()["revision"] is None
    assert len(clients[0].get(f"/api/projects/{project}/revisions").json()["revisions"]) == 2
