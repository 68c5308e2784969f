"""client.core.scheduler's timings: debounced runtime and cache writes, one sync request per
batch of edits, saves pushed at once, one push at a time under the tabs' shared lock."""

from __future__ import annotations

from typing import Any

from client.core.clock import FakeClock
from client.core.status import SyncState, SyncStatus
from contract.rules import SyncRules

from .fake_server import Spawner, run
from .scheduler_harness import STEP, Harness, near


def test_runtime_write_is_debounced_300_ms_with_every_path(h: Harness) -> None:
    h.edit("a")
    h.advance(0.1)
    h.edit("b")
    h.advance(0.1)
    h.edit("a")
    h.advance(0.29)
    assert h.runtime == []
    h.advance(0.02)
    assert [(t, paths) for t, paths in h.runtime] == [(near(0.5), ["a", "b"])]
    h.edit("c")
    h.advance(0.3)
    assert [paths for _t, paths in h.runtime] == [["a", "b"], ["c"]]


def test_cache_write_is_debounced_one_second(h: Harness) -> None:
    h.edit("a", b"1")
    h.advance(0.5)
    h.edit("b", b"2")
    h.advance(0.4)
    h.edit("a", b"3")
    h.advance(0.99)
    assert h.storage.writes == 0
    h.advance(0.02)
    assert h.storage.writes == 1
    stored = h.storage.projects["p1"].files
    assert {p: f.content for p, f in stored.items()} == {"a": b"3", "b": b"2"}


def test_many_edits_make_exactly_one_sync_request_after_five_seconds(h: Harness) -> None:
    for number in range(10):
        h.edit(f"f{number}", bytes([number]) * 3)
        h.advance(0.45)
    h.advance(5 - 4.5 - STEP)
    assert h.server.sync_calls() == []
    h.advance(2 * STEP)
    [call] = h.server.sync_calls()
    assert call.at == near(5.0) and len(call.args["ops"]) == 10
    h.advance(60)
    assert len(h.server.sync_calls()) == 1
    assert h.server.files() == {p: f.content for p, f in h.sync.model.files.items()}
    assert h.status() == SyncStatus(SyncState.SAVED)


def test_the_sync_timer_is_not_pushed_back_by_later_edits(h: Harness) -> None:
    h.edit("a")
    h.advance(4)
    h.edit("b")
    h.advance(1 + STEP)
    assert h.sync_times() == [near(5.0)]
    h.edit("c")
    h.advance(5 + STEP)
    assert h.sync_times() == [near(5.0), near(10.0)]


def test_save_pushes_now_with_the_revision_message(h: Harness) -> None:
    h.edit("a", b"1")
    h.scheduler.save("my checkpoint")
    h.spawner.run_all()
    [call] = h.server.sync_calls()
    assert call.at == 0 and call.args["revision_message"] == "my checkpoint"
    assert h.server.revisions == ["my checkpoint"] and h.server.files() == {"a": b"1"}
    assert h.storage.writes >= 1  # stored locally too
    h.advance(30)
    assert len(h.server.sync_calls()) == 1  # the 5 s timer was cancelled


def test_a_save_during_a_request_goes_right_after_it(h: Harness) -> None:
    h.edit("a", b"1")
    h.server.hold = True
    h.scheduler.save()
    flying = h.spawner.queue.popleft()
    assert flying.send(None) is None  # the request is in flight
    assert h.status().state is SyncState.SAVING
    h.edit("a", b"2")
    h.scheduler.save("second")
    h.spawner.run_all()  # waits for the one in flight
    assert len(h.server.sync_calls()) == 1
    h.server.hold = False
    run(flying)
    h.spawner.run_all()
    calls = h.server.sync_calls()
    assert [c.args["revision_message"] for c in calls] == [None, "second"]
    assert h.server.files() == {"a": b"2"} and h.status().state is SyncState.SAVED


def test_edits_during_a_request_are_sent_five_seconds_later(h: Harness) -> None:
    h.edit("a", b"1")
    flying = h.start_sync_request()
    h.edit("a", b"2")
    h.server.hold = False
    run(flying)
    assert h.status() == SyncStatus(SyncState.UNSAVED, 1)
    h.advance(5 + STEP)
    assert h.sync_times() == [near(5.0), near(10.0)] and h.server.files() == {"a": b"2"}


def test_no_write_runtime_means_no_runtime_writes(rules: SyncRules) -> None:
    harness = Harness(rules)
    harness.scheduler._write_runtime = None  # a page without a runtime yet
    harness.edit("a")
    harness.advance(1)
    assert harness.runtime == [] and harness.spawner.queue == type(harness.spawner.queue)()


def test_fake_clock_runs_due_callbacks_in_time_order_and_skips_cancelled() -> None:
    clock = FakeClock(start=10)
    seen: list[tuple[str, float]] = []
    clock.call_later(2, lambda: seen.append(("b", clock.now())))
    clock.call_later(1, lambda: seen.append(("a", clock.now())))
    clock.call_later(1, lambda: clock.call_later(0.5, lambda: seen.append(("c", clock.now()))))
    clock.call_later(-5, lambda: seen.append(("now", clock.now())))
    clock.call_later(3, lambda: seen.append(("never", clock.now()))).cancel()
    assert clock.pending() == 4
    clock.advance(2.5)
    assert seen == [("now", 10), ("a", 11), ("c", 11.5), ("b", 12)]
    assert clock.now() == 12.5 and clock.pending() == 0


def test_every_push_runs_inside_the_shared_lock(
    rules: SyncRules, clock: FakeClock, spawner: Spawner
) -> None:
    held: list[str] = []

    async def exclusive(action: Any) -> Any:
        held.append("enter")
        try:
            return await action()
        finally:
            held.append("leave")

    h = Harness(rules, clock=clock, spawner=spawner)
    h.scheduler._exclusive = exclusive
    h.edit("a", b"1")
    h.advance(6)
    assert len(h.server.sync_calls()) == 1
    assert held == ["enter", "leave"]
    h.scheduler.save("now")
    h.edit("b", b"2")
    h.scheduler.save("again")
    h.advance(6)
    assert held.count("enter") == held.count("leave") == len(h.server.sync_calls())
    assert h.server.files() == {"a": b"1", "b": b"2"}


def test_a_stopped_scheduler_fires_nothing_and_keeps_what_is_pending(h: Harness) -> None:
    h.edit("a", b"1")
    h.scheduler.stop()
    h.edit("b", b"2")
    h.advance(60)
    assert h.server.sync_calls() == []
    assert h.sync.pending_count() == 2  # still there for the next open


def test_many_paths_at_once_arm_once_and_report_once(h: Harness) -> None:
    for number in range(50):
        h.sync.model.write(f"gen/f{number}", b"x")
    before = len(h.statuses)
    h.scheduler.edited_many([f"gen/f{number}" for number in range(50)])
    assert len(h.statuses) - before <= 1  # one status for the whole burst
    h.advance(0.3 + STEP)
    assert h.runtime and sorted(h.runtime[-1][1]) == sorted(f"gen/f{n}" for n in range(50))
    h.advance(5)
    [call] = h.server.sync_calls()
    assert len(call.args["ops"]) == 50
    h.scheduler.edited_many([])  # nothing changed: nothing armed
    h.advance(10)
    assert len(h.server.sync_calls()) == 1
