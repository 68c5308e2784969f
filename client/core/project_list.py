"""The dashboard's rules, kept pure: which names the server accepts, how the list is
filtered and ordered, and how a row describes a project.

The name rules mirror the server's (the Name field of server/models/fields.py, with the
limits of server/limits.py; a unit test compares them with the server's model), so a bad
name is refused with its reason before any request is made.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from client.core.relative_time import parse

NAME_MAX = 100  # characters (code points) after stripping, as the server counts them


def name_problem(raw: str) -> str | None:
    """Why the server would refuse `raw` as a project name, or None when it is fine."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return "A name must be valid text (it holds a broken character)."
    if any(unicodedata.category(c) == "Cc" for c in raw):
        return "A name must be one line, without control characters."
    name = raw.strip()
    if not name:
        return "Enter a name."
    if len(name) > NAME_MAX:
        return f"A name can have at most {NAME_MAX} characters (this one has {len(name)})."
    return None


def matches(name: str, query: str) -> bool:
    """Every word of the query appears in the name, ignoring case and accents' forms."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    words = unicodedata.normalize("NFKC", query).casefold().split()
    return all(word in folded for word in words)


def visible(projects: Iterable[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    return [p for p in projects if matches(str(p.get("name", "")), query)]


_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def recency(project: dict[str, Any]) -> datetime:
    """The server's order key: last opened, or last changed for a project never opened
    (a fresh copy or import belongs at the top, not below everything ever opened).
    Parsed, not compared as text: the offsets in the timestamps may differ."""
    return parse(project.get("opened_at")) or parse(project.get("updated_at")) or _NEVER


def ordered(projects: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most recently used first; ties by name (sorted is stable)."""
    by_name = sorted(projects, key=lambda p: str(p.get("name", "")).casefold())
    return sorted(by_name, key=recency, reverse=True)


def file_count(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n:,} files"
