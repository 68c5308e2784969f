"""client.core.scheduler with a fake clock, memory storage, a fake server and a spawn that
collects coroutines: debounce timings, batching, backoff, offline, sign-out, status."""

from __future__ import annotations

from typing import Any

import pytest

from client.core.clock import FakeClock
from client.core.engine import ProjectSync
from client.core.ports import MemoryStorage
from client.core.scheduler import SyncScheduler
from client.core.status import SyncState, SyncStatus
from client.core.timing import DEFAULT_TIMING, Timing
from contract.rules import SyncRules

from .fake_server import FakeServer, Spawner, run

STEP = 1 / 64  # exact in binary: the clock never drifts


class Harness:
    """One project's scheduler, its fakes, and what it did when."""

    def __init__(
        self,
        rules: SyncRules,
        unit_random: float = 0.5,
        clock: FakeClock | None = None,
        spawner: Spawner | None = None,
    ) -> None:
        self.clock = clock or FakeClock()
        self.spawner = spawner or Spawner()
        self.storage = MemoryStorage()
        self.server = FakeServer(rules, now=self.clock.now)
        self.sync = ProjectSync("p1", self.storage, self.server, rules)
        self.statuses: list[SyncStatus] = []
        self.runtime: list[tuple[float, list[str]]] = []
        self.scheduler = SyncScheduler(
            self.sync,
            self.clock,
            self.spawner,
            write_runtime=self._write_runtime,
            on_status=self.statuses.append,
            unit_random=lambda: unit_random,
        )

    async def _write_runtime(self, paths: list[str]) -> None:
        self.runtime.append((self.clock.now(), paths))

    def edit(self, path: str, content: bytes = b"x") -> None:
        self.sync.model.write(path, content)
        self.scheduler.edited(path)

    def advance(self, seconds: float) -> None:
        """Move time on in small steps, running what the timers spawned at each step."""
        self.spawner.run_all()
        target = self.clock.now() + seconds
        while self.clock.now() + STEP <= target:
            self.clock.advance(STEP)
            self.spawner.run_all()
        self.clock.advance(target - self.clock.now())
        self.spawner.run_all()

    def start_sync_request(self) -> Any:
        """Let the 5 s timer fire and the request leave, then hold it in flight."""
        self.server.hold = True
        self.advance(5 - STEP)
        self.clock.advance(2 * STEP)
        [flying] = self.spawner.queue
        self.spawner.queue.clear()
        assert flying.send(None) is None
        assert self.scheduler.in_flight
        return flying

    def sync_times(self) -> list[float]:
        return [call.at for call in self.server.sync_calls()]

    def states(self) -> list[SyncState]:
        """The states reported, each run of one state counted once."""
        states = [status.state for status in self.statuses]
        return [s for i, s in enumerate(states) if i == 0 or states[i - 1] is not s]

    def status(self) -> SyncStatus:
        return self.scheduler.status()


@pytest.fixture
def h(rules: SyncRules, clock: FakeClock, spawner: Spawner) -> Harness:
    return Harness(rules, clock=clock, spawner=spawner)  # the spawner fixture cleans up


def near(value: float) -> Any:
    return pytest.approx(value, abs=STEP + 1e-9)


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]


# ------------------------------------------------------------------ debounce and batching


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


# ------------------------------------------------------------------ failures and backoff


def test_offline_keeps_the_changes_and_retries_at_1_2_4_8_seconds(h: Harness) -> None:
    h.server.go_offline(times=5)
    h.edit("a", b"1")
    h.edit("b", b"2")
    h.advance(5 + STEP)
    assert h.status() == SyncStatus(SyncState.OFFLINE, 2)
    assert h.status().label == "Offline (2 pending)"
    h.advance(40)
    times = h.sync_times()
    assert times[0] == near(5.0)
    assert gaps(times) == [near(1), near(2), near(4), near(8), near(16)]
    assert h.server.files() == {"a": b"1", "b": b"2"}
    assert h.status() == SyncStatus(SyncState.SAVED)


def test_backoff_is_capped_at_sixty_seconds(h: Harness) -> None:
    h.server.go_offline(times=9)
    h.edit("a")
    h.advance(5 + 1 + 2 + 4 + 8 + 16 + 32 + 60 + 60 + 60 + 1)
    assert gaps(h.sync_times()) == [near(d) for d in (1, 2, 4, 8, 16, 32, 60, 60, 60)]


def test_edits_while_waiting_to_retry_do_not_add_requests(h: Harness) -> None:
    h.server.go_offline(times=2)
    h.edit("a")
    h.advance(5 + STEP)
    for _ in range(20):
        h.edit("b")
        h.advance(0.1)
    h.advance(10)
    assert gaps(h.sync_times()) == [near(1), near(2)]


def test_an_edit_during_a_failing_request_keeps_the_backoff(h: Harness) -> None:
    h.edit("a")
    flying = h.start_sync_request()
    h.edit("b")  # arms the 5 s sync timer again
    h.server.hold = False
    h.server.go_offline(times=4)
    run(flying)
    h.advance(40)
    assert gaps(h.sync_times()) == [near(1), near(2), near(4), near(8)]


def test_a_long_failing_request_does_not_add_an_early_retry(h: Harness) -> None:
    h.edit("a")
    flying = h.start_sync_request()
    h.edit("b")  # the 5 s sync timer is armed again while the request flies...
    h.clock.advance(4.5)  # ...and the request takes 4.5 s to fail
    h.server.hold = False
    h.server.go_offline(times=3)
    run(flying)
    h.advance(20)
    assert gaps(h.sync_times()) == [near(5.5), near(2), near(4)]


def test_jitter_spreads_the_retry(rules: SyncRules) -> None:
    low, high = Harness(rules, unit_random=0.0), Harness(rules, unit_random=0.999)
    for harness in (low, high):
        harness.server.go_offline(times=3)
        harness.edit("a")
        harness.advance(5 + 1.2 + 2.4 + 4.8 + 1)
    assert gaps(low.sync_times()) == [near(0.8), near(1.6), near(3.2)]
    assert gaps(high.sync_times()) == [near(1.2), near(2.4), near(4.8)]


def test_going_online_pushes_at_once(h: Harness) -> None:
    h.server.go_offline()
    h.edit("a")
    h.advance(5)
    h.scheduler.went_offline()
    assert h.status().state is SyncState.OFFLINE
    h.scheduler.went_online()
    h.spawner.run_all()
    assert h.sync_times() == [near(5.0), near(5.0)] and h.server.files() == {"a": b"x"}
    h.advance(120)
    assert len(h.server.sync_calls()) == 2  # the pending retry was cancelled


def test_going_online_with_nothing_pending_sends_nothing(h: Harness) -> None:
    h.scheduler.went_offline()
    h.scheduler.went_online()
    h.spawner.run_all()
    assert h.server.sync_calls() == [] and h.status().state is SyncState.SAVED


def test_a_failing_server_is_retried_and_said(h: Harness) -> None:
    h.server.fail_server(times=2)
    h.edit("a")
    h.advance(5 + STEP)
    status = h.status()
    assert status.state is SyncState.ERROR and "retrying" in status.message
    h.advance(10)
    assert gaps(h.sync_times()) == [near(1), near(2)]
    assert h.server.files() == {"a": b"x"} and h.status().state is SyncState.SAVED


def test_signed_out_waits_for_sign_in_and_loses_nothing(h: Harness) -> None:
    h.server.sign_out()
    h.edit("a", b"1")
    h.advance(5 + STEP)
    assert h.status() == SyncStatus(SyncState.SIGNED_OUT, 1)
    h.edit("b", b"2")
    h.advance(300)
    assert len(h.server.sync_calls()) == 1  # no retries while signed out
    assert h.status() == SyncStatus(SyncState.SIGNED_OUT, 2)
    assert h.status().label == "Signed out (2 pending)"
    h.scheduler.signed_in()
    h.spawner.run_all()
    assert h.server.files() == {"a": b"1", "b": b"2"}
    assert h.status().state is SyncState.SAVED


def test_a_refusal_is_an_error_with_the_message_and_is_not_retried(h: Harness) -> None:
    h.server.refuse("the file is larger than 10485760 bytes", status=413)
    h.edit("a")
    h.advance(5 + STEP)
    status = h.status()
    assert status.state is SyncState.ERROR
    assert status.message == "the file is larger than 10485760 bytes"
    assert status.label == "Not saved: the file is larger than 10485760 bytes"
    h.advance(120)
    assert len(h.server.sync_calls()) == 1
    assert h.sync.model.pending_count() == 1


def test_a_storage_failure_shows_as_an_error(h: Harness) -> None:
    h.storage.fail_with = OSError("quota")
    h.edit("a")
    h.advance(1 + STEP)
    status = h.status()
    assert status.state is SyncState.ERROR and "cannot store changes" in status.message
    assert "OSError: quota" in status.message
    h.storage.fail_with = None
    h.edit("a", b"again")
    h.advance(1 + STEP)
    assert h.sync.storage_error is None and h.storage.projects["p1"].files["a"].content == b"again"


# ------------------------------------------------------------------ status


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


# ------------------------------------------------------------------ timing and clock


def test_backoff_delays() -> None:
    timing = DEFAULT_TIMING
    assert [timing.backoff(n, 0.5) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert timing.backoff(1, 0.0) == pytest.approx(0.8)
    assert timing.backoff(3, 1.0) == pytest.approx(4.8)
    assert timing.backoff(100_000, 0.5) == 60  # a week offline does not overflow
    assert Timing(backoff_initial_s=0.5, backoff_max_s=3, jitter=0).backoff(9, 0.9) == 3
    assert (timing.runtime_s, timing.cache_s, timing.sync_s) == (0.3, 1.0, 5.0)


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


# ------------------------------------------------------------------ tabs share one push lock


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
