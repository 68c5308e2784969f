"""client.core.scheduler when a push fails: offline, a failing server, signed out, refused;
backoff with jitter, capped, and a push at once when the network comes back."""

from __future__ import annotations

import pytest

from client.core.status import SyncState, SyncStatus
from client.core.timing import DEFAULT_TIMING, Timing
from contract.rules import SyncRules

from .fake_server import run
from .scheduler_harness import STEP, Harness, gaps, near


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


def test_backoff_delays() -> None:
    timing = DEFAULT_TIMING
    assert [timing.backoff(n, 0.5) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert timing.backoff(1, 0.0) == pytest.approx(0.8)
    assert timing.backoff(3, 1.0) == pytest.approx(4.8)
    assert timing.backoff(100_000, 0.5) == 60  # a week offline does not overflow
    assert Timing(backoff_initial_s=0.5, backoff_max_s=3, jitter=0).backoff(9, 0.9) == 3
    assert (timing.runtime_s, timing.cache_s, timing.sync_s) == (0.3, 1.0, 5.0)
