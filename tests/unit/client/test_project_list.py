"""The dashboard's pure rules: names, search, order, counts, and "3 minutes ago"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from client.core.project_list import NAME_MAX, file_count, matches, name_problem, ordered, visible
from client.core.relative_time import ago, parse

NOW = datetime(2026, 3, 12, 14, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("My app", None),
        ("  padded  ", None),
        ("x" * NAME_MAX, None),
        (" " + "x" * NAME_MAX + " ", None),  # counted after stripping, as the server does
        ("", "Enter a name."),
        ("   ", "Enter a name."),
        (
            "x" * (NAME_MAX + 1),
            f"A name can have at most {NAME_MAX} characters (this one has 101).",
        ),
        ("two\nlines", "A name must be one line, without control characters."),
        ("tab\there", "A name must be one line, without control characters."),
        ("bell\x07", "A name must be one line, without control characters."),
        ("\ud800", "A name must be valid text (it holds a broken character)."),
        ("<img src=x onerror=alert(1)>", None),
        ("é" * NAME_MAX, None),
    ],
)
def test_name_problem(raw: str, problem: str | None) -> None:
    assert name_problem(raw) == problem


def test_search_matches_every_word_ignoring_case() -> None:
    assert matches("Landing Page", "page")
    assert matches("Landing Page", "PAGE land")
    assert not matches("Landing Page", "page blog")
    assert matches("Straße", "STRASSE")  # casefold, not lower
    assert matches("anything", "   ")
    projects = [{"name": "Alpha"}, {"name": "beta"}, {"name": "Alphabet"}]
    assert [p["name"] for p in visible(projects, "alpha")] == ["Alpha", "Alphabet"]


def stamp(minutes_ago: float) -> str:
    return (NOW - timedelta(minutes=minutes_ago)).isoformat()


def test_order_is_last_opened_then_last_changed_then_name() -> None:
    projects: list[dict[str, str | None]] = [
        {"name": "old", "opened_at": stamp(600), "updated_at": stamp(900)},
        {"name": "fresh copy", "opened_at": None, "updated_at": stamp(1)},
        {"name": "recent", "opened_at": stamp(5), "updated_at": stamp(50)},
        {"name": "b twin", "opened_at": stamp(30), "updated_at": stamp(30)},
        {"name": "A twin", "opened_at": stamp(30), "updated_at": stamp(30)},
    ]
    assert [p["name"] for p in ordered(projects)] == [
        "fresh copy",
        "recent",
        "A twin",
        "b twin",
        "old",
    ]


def test_order_compares_instants_not_text() -> None:
    # 10:00 at +02:00 is 08:00 UTC: earlier than 09:00 UTC, though it sorts later as text.
    projects = [
        {"name": "a", "opened_at": "2026-03-12T10:00:00+02:00"},
        {"name": "b", "opened_at": "2026-03-12T09:00:00+00:00"},
    ]
    assert [p["name"] for p in ordered(projects)] == ["b", "a"]


def test_file_count() -> None:
    assert [file_count(n) for n in (0, 1, 2, 12345)] == [
        "0 files",
        "1 file",
        "2 files",
        "12,345 files",
    ]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (-5, "just now"),
        (0, "just now"),
        (44, "just now"),
        (45, "1 minute ago"),
        (119, "1 minute ago"),
        (120, "2 minutes ago"),
        (3599, "59 minutes ago"),
        (3600, "1 hour ago"),
        (7200, "2 hours ago"),
        (86399, "23 hours ago"),
        (86400, "yesterday"),
        (2 * 86400, "2 days ago"),
        (29 * 86400, "29 days ago"),
        (30 * 86400, "1 month ago"),
        (200 * 86400, "6 months ago"),
        (365 * 86400, "1 year ago"),
        (3 * 365 * 86400, "3 years ago"),
    ],
)
def test_ago(seconds: int, words: str) -> None:
    assert ago(NOW - timedelta(seconds=seconds), NOW) == words


def test_parse_reads_the_servers_timestamps() -> None:
    assert parse("2026-03-12T13:57:00.5+00:00") == NOW - timedelta(minutes=2, seconds=59.5)
    assert parse("2026-03-12T14:00:00Z") == NOW
    assert parse(None) is None and parse("") is None
    assert parse("yesterday") is None
    assert parse("2026-03-12T14:00:00") is None  # no offset: cannot say when that was
