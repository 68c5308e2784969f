"""Pushes whose answer never came back (the page reloaded mid-request, the connection
dropped after the server had applied it), and deletes racing them. The server's copy is
then what this browser did itself: it must be recognised as ours, never shown as a
conflict, and a file the user deleted must never come back."""

from __future__ import annotations

from typing import Any

import pytest

from client.core import ports
from client.core.engine import Journal, ProjectSync
from client.core.ports import MemoryStorage
from contract.rules import SyncRules

from .fake_server import FakeServer, run

PROJECT = "p1"


def contents(sync: ProjectSync) -> dict[str, bytes]:
    return {path: local.content for path, local in sync.model.files.items()}


def opened(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules, files: dict[str, bytes]
) -> ProjectSync:
    for path, content in files.items():
        server.other_put(path, content)
    sync = ProjectSync(PROJECT, storage, server, rules)
    run(sync.refresh())
    assert contents(sync) == files
    return sync


def reload(sync: ProjectSync, journal: Journal) -> ProjectSync:
    """The tab went away (its journal written as it went) and the project opens again,
    as the workbench does it: the cache, the journal on top, then the server's copy."""
    page = ProjectSync(sync.project_id, sync.storage, sync.api, sync.rules)
    assert run(page.open_cached())
    page.replay(journal)
    run(page.persist())
    run(page.refresh())
    return page


def lose_the_answer(sync: ProjectSync, server: FakeServer, meanwhile: Any) -> None:
    """Push; while the request is on its way, `meanwhile()` edits the model; the server
    applies the request and its answer is lost."""
    server.hold = True
    server.lose_next_answer = True
    pushing = sync.push()
    assert pushing.send(None) is None  # the request is in flight
    meanwhile()
    server.hold = False
    with pytest.raises(ports.Offline):
        run(pushing)


def pushed_and_settled(sync: ProjectSync, server: FakeServer, files: dict[str, bytes]) -> None:
    """One more push, and then the server and the page hold `files`, with nothing left
    pending or in flight."""
    run(sync.push())
    assert server.files() == files == contents(sync)
    assert sync.pending_count() == 0 and sync.model.inflight == {}


def keep_mine_everywhere(sync: ProjectSync) -> None:
    """What the soak does with conflicts left at its end (and what a user may click)."""
    for path in list(sync.conflicts.open):
        run(sync.resolve(path, "mine"))


def test_a_file_made_again_while_its_delete_flew_is_never_brought_back(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """The soak's resurrected src/c.js. The user deletes c.js and the delete goes out;
    while it flies, c.js is written again (it keeps its server identity: a put on the old
    base); the page reloads before the answer came, after the server deleted it. The next
    open saw "deleted on the server, changed here" and raised a conflict holding the text
    written meanwhile; the user deleted c.js again, and Keep mine brought that text back,
    to the page and to the server."""
    sync = opened(storage, server, rules, {"src/c.js": b"one", "a.txt": b"a"})
    sync.model.delete("src/c.js")
    lose_the_answer(
        sync, server, lambda: sync.model.write("src/c.js", b"step 107, written as it flew")
    )
    assert server.files() == {"a.txt": b"a"}  # the delete was applied
    page = reload(sync, sync.journal())

    assert page.conflicts.open == {}  # the server's copy is gone by our own hand
    assert contents(page)["src/c.js"] == b"step 107, written as it flew"
    page.model.delete("src/c.js")
    keep_mine_everywhere(page)
    pushed_and_settled(page, server, {"a.txt": b"a"})


def test_a_file_made_again_as_it_was_while_its_delete_flew_is_kept(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """The same race when the new file holds the deleted one's bytes exactly: it looked
    clean (in step with a server copy that is gone), so the next open deleted it here."""
    sync = opened(storage, server, rules, {"a.txt": b"same"})
    sync.model.delete("a.txt")
    lose_the_answer(sync, server, lambda: sync.model.write("a.txt", b"same"))
    page = reload(sync, sync.journal())

    assert page.conflicts.open == {} and contents(page) == {"a.txt": b"same"}
    run(page.push())
    assert server.files() == {"a.txt": b"same"} and page.pending_count() == 0


def test_a_file_deleted_while_its_edit_flew_stays_deleted(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """An edit goes out and the file is deleted while it flies; the server took the edit
    and the answer was lost. Its copy is what we sent, so the delete still stands (it was
    a conflict, "deleted here, changed there")."""
    sync = opened(storage, server, rules, {"b.txt": b"one", "a.txt": b"a"})
    sync.model.write("b.txt", b"two")
    lose_the_answer(sync, server, lambda: sync.model.delete("b.txt"))
    assert server.files()["b.txt"] == b"two"
    page = reload(sync, sync.journal())

    assert page.conflicts.open == {}
    run(page.push())
    assert contents(page) == {"a.txt": b"a"} == server.files()


def test_a_rename_whose_answer_was_lost_is_recognised(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """A rename went out and was applied; the file was edited as it flew."""
    sync = opened(storage, server, rules, {"old.txt": b"text"})
    sync.model.rename("old.txt", "new.txt")
    lose_the_answer(sync, server, lambda: sync.model.write("new.txt", b"text, edited"))
    assert server.files() == {"new.txt": b"text"}
    page = reload(sync, sync.journal())

    assert page.conflicts.open == {}
    run(page.push())
    assert contents(page) == {"new.txt": b"text, edited"} == server.files()
    assert page.pending_count() == 0


def test_keep_mine_for_a_file_deleted_since_the_conflict_deletes_it(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """'Mine' is the file as it is now: edits made since the conflict count, and so does a
    delete. The conflict's copy of mine is from the moment it was raised."""
    sync = opened(storage, server, rules, {"a.txt": b"base", "b.txt": b"b"})
    sync.model.write("a.txt", b"mine")
    sync.model.write("new.txt", b"mine, new")
    server.other_put("a.txt", b"theirs")
    server.other_put("new.txt", b"theirs, new")
    assert {c.path for c in run(sync.push()).new_conflicts} == {"a.txt", "new.txt"}
    sync.model.delete("a.txt")
    sync.model.delete("new.txt")  # never on the server from here: no tombstone
    keep_mine_everywhere(sync)
    run(sync.push())
    assert contents(sync) == {"b.txt": b"b"} == server.files()
    assert sync.pending_count() == 0 and len(sync.conflicts) == 0


def test_in_the_same_page_a_delete_whose_answer_was_lost_is_not_a_conflict(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """No reload: the connection dropped after the server applied the delete, and the page
    retries. The file written again meanwhile goes as a put on the deleted version and
    comes back refused, the copy gone: that is our own delete, not another's."""
    sync = opened(storage, server, rules, {"src/c.js": b"one", "a.txt": b"a"})
    sync.model.delete("src/c.js")
    lose_the_answer(sync, server, lambda: sync.model.write("src/c.js", b"two"))
    assert run(sync.push()).new_conflicts == [] and len(sync.conflicts) == 0
    run(sync.push())  # now sent as the new file it is
    assert server.files() == {"src/c.js": b"two", "a.txt": b"a"} == contents(sync)
    sync.model.delete("src/c.js")
    pushed_and_settled(sync, server, {"a.txt": b"a"})


def test_in_the_same_page_an_edit_whose_answer_was_lost_is_not_a_conflict(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """The same with an edit: the retry's base is stale, and the server's copy is the
    content the lost request sent. Deleted since, or edited further, either way is ours."""
    sync = opened(storage, server, rules, {"a.txt": b"a", "b.txt": b"b"})
    sync.model.write("a.txt", b"a2")
    sync.model.write("b.txt", b"b2")
    lose_the_answer(sync, server, lambda: sync.model.write("a.txt", b"a3"))
    sync.model.delete("b.txt")
    assert run(sync.push()).new_conflicts == [] and len(sync.conflicts) == 0
    pushed_and_settled(sync, server, {"a.txt": b"a3"})


def test_a_new_file_deleted_as_its_put_flew_is_deleted_there_at_the_next_open(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """A new file goes out and is deleted here while it flies; the server took it and the
    answer was lost. Nothing local is left to send: the next open finds the server's copy
    is the one we sent, and deletes it there (it is never brought back here)."""
    sync = opened(storage, server, rules, {"a.txt": b"a"})
    sync.model.write("new.txt", b"new")
    lose_the_answer(sync, server, lambda: sync.model.delete("new.txt"))
    assert server.files() == {"a.txt": b"a", "new.txt": b"new"}
    page = reload(sync, sync.journal())
    assert contents(page) == {"a.txt": b"a"} and page.conflicts.open == {}
    run(page.push())
    assert server.files() == {"a.txt": b"a"} and page.pending_count() == 0


def test_an_unchanged_server_at_open_means_nothing_unanswered_landed(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """A request that never reached the server leaves its entries; an open answered 304
    (nothing changed since the last load) clears them."""
    sync = opened(storage, server, rules, {"a.txt": b"a"})
    sync.model.delete("a.txt")
    server.go_offline()
    with pytest.raises(ports.Offline):
        run(sync.push())
    assert sync.model.inflight == {"a.txt": "delete"}
    page = reload(sync, sync.journal())
    assert page.model.inflight == {} and page.model.pending_count() == 1
    run(page.push())
    assert server.files() == {} == contents(page)


def test_a_delete_refused_as_already_gone_leaves_the_file_made_again_new(
    storage: MemoryStorage, server: FakeServer, rules: SyncRules
) -> None:
    """Our delete arrives after the copy went already (another tab deleted it too, or the
    request reached the server twice), and the file was written again while it flew: the
    answer says "gone", which is what we asked for, and the new file goes as a new one."""
    sync = opened(storage, server, rules, {"src/c.js": b"one", "a.txt": b"a"})
    sync.model.delete("src/c.js")
    server.hold = True
    pushing = sync.push()
    assert pushing.send(None) is None  # the delete is in flight
    sync.model.write("src/c.js", b"two")
    server.other_delete("src/c.js")
    server.hold = False
    run(pushing)
    assert len(sync.conflicts) == 0
    run(sync.push())
    assert server.files() == {"src/c.js": b"two", "a.txt": b"a"} == contents(sync)
    assert len(sync.conflicts) == 0 and sync.pending_count() == 0
