"""The process's memory of fresh metadata documents (server/mirror/hot_docs.py): held for
at most a minute and never past freshness, bounded in bytes with the least recently used
leaving first, and documents too large or already stale never held."""

from __future__ import annotations

from server.mirror.hot_docs import HOLD_SECONDS, HotDocs


def test_held_a_minute_at_most_and_never_past_freshness() -> None:
    now = [100.0]
    docs = HotDocs(clock=lambda: now[0])
    docs.hold("long", "doc", 10, fresh_for=300)
    docs.hold("short", "doc", 10, fresh_for=5)
    docs.hold("stale", "doc", 10, fresh_for=0)
    assert docs.get("stale") is None
    now[0] += 4.9
    assert (docs.get("long"), docs.get("short")) == ("doc", "doc")
    now[0] += 0.2
    assert docs.get("short") is None
    now[0] = 100.0 + HOLD_SECONDS
    assert docs.get("long") is None
    assert docs.held == 0


def test_bounded_in_bytes_least_recently_used_first() -> None:
    docs = HotDocs(max_bytes=100, max_doc_bytes=60)
    docs.hold("a", "A", 40, 60)
    docs.hold("b", "B", 40, 60)
    assert docs.get("a") == "A"  # now b is the least recently used
    docs.hold("c", "C", 40, 60)
    assert (docs.get("a"), docs.get("b"), docs.get("c")) == ("A", None, "C")
    docs.hold("huge", "H", 61, 60)
    assert docs.get("huge") is None
    docs.hold("a", "A2", 50, 60)  # held again: counted once
    assert docs.held == 90 and docs.get("a") == "A2"
