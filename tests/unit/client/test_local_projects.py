"""client/core/local_projects.py: the project list of a static-only site."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from client.core import local_projects


def test_add_lists_newest_first_and_finds_names() -> None:
    first, raw = local_projects.added(None, "  One  ", datetime(2026, 1, 1, tzinfo=UTC))
    second, raw = local_projects.added(raw, "Two", datetime(2026, 1, 2, tzinfo=UTC))
    assert first != second
    assert [p["name"] for p in local_projects.read(raw)] == ["Two", "One"]
    assert local_projects.name_of(raw, first) == "One"
    assert local_projects.name_of(raw, "nope") is None


def test_remove_keeps_the_others() -> None:
    first, raw = local_projects.added(None, "One")
    second, raw = local_projects.added(raw, "Two")
    raw = local_projects.removed(raw, first)
    assert [p["id"] for p in local_projects.read(raw)] == [second]


def test_unreadable_lists_are_empty() -> None:
    for raw in [None, "", "nonsense", "{}", json.dumps([{"id": "x"}, 1, {"name": "n"}])]:
        assert local_projects.read(raw) == []
