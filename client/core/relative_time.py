"""How long ago something happened, in words ("3 minutes ago"), for lists people scan.

Pure Python so it is tested under CPython; the view supplies "now" and the exact local
timestamp (from the browser, which knows the user's time zone) for the title attribute.
"""

from __future__ import annotations

from datetime import datetime

_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR


def parse(stamp: str | None) -> datetime | None:
    """The server's ISO 8601 timestamps (with offset), or None when absent or unreadable."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'} ago"


def ago(then: datetime, now: datetime) -> str:
    seconds = (now - then).total_seconds()
    # A server clock slightly ahead of the browser's gives small negative ages: still "now".
    if seconds < 45:
        return "just now"
    if seconds < _HOUR:
        return _count(max(1, int(seconds // _MINUTE)), "minute")
    if seconds < _DAY:
        return _count(int(seconds // _HOUR), "hour")
    days = int(seconds // _DAY)
    if days == 1:
        return "yesterday"
    if days < 30:
        return _count(days, "day")
    if days < 365:
        return _count(days // 30, "month")
    return _count(days // 365, "year")
