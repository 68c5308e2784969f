"""client.core.scheduler's status: saved, unsaved, saving, saved again, and conflicts."""

from __future__ import annotations

from client.core.status import SyncState, SyncStatus

from .fake_server import run
from .scheduler_harness import STEP, Harness


def test_status_goes_saved_unsaved_saving_saved(h: Harness) -> None:
    assert h.status() == SyncStatus(SyncState.SAVED)
    h.edit("a")
    h.edit("b")
    h.advance(6)
    assert h.states() == [SyncState.UNSAVED, SyncState.SAVING, SyncState.SAVED]
    assert [s.label for s in h.statuses] == [
        "Unsaved changes (1)",
        "Unsaved changes (2)",
        "Saving…",
        "Saved",
    ]
    assert h.statuses[:3] == [
        SyncStatus(SyncState.UNSAVED, 1),
        SyncStatus(SyncState.UNSAVED, 2),
        SyncStatus(SyncState.SAVING, 2),
    ]


def test_a_conflict_shows_as_conflict(h: Harness) -> None:
    h.server.other_put("a", b"theirs")
    h.edit("a", b"mine")
    h.advance(5 + STEP)
    status = h.status()
    assert status == SyncStatus(SyncState.CONFLICT, 1, 1) and status.label == "Conflict (1)"
    assert h.states()[-1] is SyncState.CONFLICT
    h.clock.advance(600)
    assert h.spawner.queue == type(h.spawner.queue)()  # nothing to send: no idle wake-ups
    run(h.sync.resolve("a", "mine"))
    h.scheduler.save()
    h.spawner.run_all()
    assert h.server.files() == {"a": b"mine"} and h.status().state is SyncState.SAVED
