"""Dates as the person reads them: the browser knows their time zone and locale, Python
under Pyodide does not (its local time is UTC)."""

from __future__ import annotations

import js


def local_datetime(iso: str) -> str:
    """An ISO 8601 timestamp as a full local date and time, e.g. "3/12/2026, 2:03:09 PM"."""
    return str(js.Date.new(iso).toLocaleString())
