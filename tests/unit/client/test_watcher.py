"""client.core.watcher: runtime events coalesced, filtered and sliced."""

from __future__ import annotations

import pytest

from client.core.watcher import DELETE, WRITE, EventQueue, FsEvent
from contract.rules import SyncRules


def test_a_burst_on_one_path_is_one_word(rules: SyncRules) -> None:
    queue = EventQueue(rules)
    for _ in range(1000):
        queue.add(FsEvent("change", "src/app.py"))
    assert queue.take(10) == [(WRITE, "src/app.py")]
    assert len(queue) == 0


def test_the_last_event_wins(rules: SyncRules) -> None:
    queue = EventQueue(rules)
    queue.add(FsEvent("create", "a.txt"))
    queue.add(FsEvent("delete", "a.txt"))
    queue.add(FsEvent("create", "b.txt"))
    queue.add(FsEvent("delete", "b.txt"))
    queue.add(FsEvent("create", "b.txt"))
    assert queue.take(10) == [(DELETE, "a.txt"), (WRITE, "b.txt")]


def test_rename_is_delete_then_write(rules: SyncRules) -> None:
    queue = EventQueue(rules)
    queue.add(FsEvent("rename", "old.py", "new.py"))
    queue.add(FsEvent("rename", "new.py", "newer.py"))
    assert queue.take(10) == [(DELETE, "old.py"), (DELETE, "new.py"), (WRITE, "newer.py")]


def test_ignored_paths_are_dropped_unless_kept(rules: SyncRules) -> None:
    queue = EventQueue(rules)
    for i in range(5000):
        queue.add(FsEvent("create", f"node_modules/pkg{i}/index.js"))
    queue.add(FsEvent("create", "package-lock.json"))
    queue.add(FsEvent("create", ".env"))
    assert queue.take(100) == [(WRITE, "package-lock.json")]
    shown = EventQueue(rules, keep_ignored=True)
    shown.add(FsEvent("create", "node_modules/x/index.js"))
    assert shown.take(1) == [(WRITE, "node_modules/x/index.js")]


def test_slices_are_bounded_and_in_order(rules: SyncRules) -> None:
    queue = EventQueue(rules)
    for i in range(2500):
        queue.add(FsEvent("create", f"gen/f{i}.txt"))
    first = queue.take(1000)
    assert len(first) == 1000 and first[0] == (WRITE, "gen/f0.txt")
    assert len(queue) == 1500
    assert queue.take(1000)[-1] == (WRITE, "gen/f1999.txt")
    assert len(queue.take(1000)) == 500 and len(queue) == 0


def test_unknown_events_are_refused(rules: SyncRules) -> None:
    with pytest.raises(ValueError, match="unknown file event"):
        EventQueue(rules).add(FsEvent("chmod", "a"))
