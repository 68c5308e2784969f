"""The sync label's pace: everyday states once they hold still, problems at once."""

from __future__ import annotations

from client.core.clock import FakeClock
from client.core.status import SyncState, SyncStatus
from client.core.status_display import HOLD_S, MAX_WAIT_S, StatusDisplay

SAVED = SyncStatus(SyncState.SAVED)
SAVING = SyncStatus(SyncState.SAVING, 1)
UNSAVED_1 = SyncStatus(SyncState.UNSAVED, 1)
UNSAVED_3 = SyncStatus(SyncState.UNSAVED, 3)
OFFLINE = SyncStatus(SyncState.OFFLINE, 1)
CONFLICT = SyncStatus(SyncState.CONFLICT, 0, 1)
SIGNED_OUT = SyncStatus(SyncState.SIGNED_OUT, 1)


def display() -> tuple[FakeClock, StatusDisplay, list[str]]:
    clock = FakeClock()
    drawn: list[str] = []
    shown = StatusDisplay(clock, lambda status: drawn.append(status.label))
    return clock, shown, drawn


def test_the_first_status_is_drawn_at_once() -> None:
    _clock, shown, drawn = display()
    shown.update(SAVING)
    assert drawn == ["Saving…"]


def test_a_quick_sync_is_one_draw_of_where_it_ended() -> None:
    clock, shown, drawn = display()
    shown.update(SAVED)
    for status in (UNSAVED_3, SAVING, SAVED):  # a push answered in 30 ms
        shown.update(status)
        clock.advance(0.01)
    assert drawn == ["Saved"]  # nothing flickered meanwhile
    clock.advance(HOLD_S)
    assert drawn == ["Saved", "Saved"]  # a redraw of the same label (the tabs' marks)
    clock.advance(MAX_WAIT_S * 2)
    assert len(drawn) == 2 and clock.pending() == 0


def test_a_state_is_drawn_once_it_has_held_still() -> None:
    clock, shown, drawn = display()
    shown.update(SAVED)
    shown.update(UNSAVED_1)
    clock.advance(HOLD_S - 0.01)
    assert drawn == ["Saved"]
    clock.advance(0.02)
    assert drawn == ["Saved", "Unsaved changes (1)"]


def test_a_label_that_changes_all_the_time_still_moves_every_max_wait() -> None:
    clock, shown, drawn = display()
    shown.update(SAVED)
    states = [UNSAVED_1, SAVING, UNSAVED_3, SAVING]
    for n in range(int(MAX_WAIT_S / 0.1) * 2):  # a change every 100 ms, for 2 x MAX_WAIT_S
        shown.update(states[n % len(states)])
        clock.advance(0.1)
    assert 2 <= len(drawn) - 1 <= 3
    clock.advance(HOLD_S)
    assert shown.shown == states[-1]


def test_problems_and_their_end_are_drawn_at_once_and_cancel_a_held_state() -> None:
    clock, shown, drawn = display()
    shown.update(SAVED)
    shown.update(SAVING)
    shown.update(OFFLINE)
    assert drawn == ["Saved", "Offline (1 pending)"]
    clock.advance(HOLD_S * 2)
    assert drawn == ["Saved", "Offline (1 pending)"]  # the held "Saving…" never shows
    shown.update(SAVING)  # back online: its end shows at once
    assert drawn[-1] == "Saving…"
    shown.update(CONFLICT)
    shown.update(SIGNED_OUT)
    assert drawn[-2:] == ["Conflict (1)", "Signed out (1 pending)"]


def test_stop_cancels_what_is_held() -> None:
    clock, shown, drawn = display()
    shown.update(SAVED)
    shown.update(UNSAVED_1)
    shown.stop()
    clock.advance(MAX_WAIT_S * 2)
    assert drawn == ["Saved"]
