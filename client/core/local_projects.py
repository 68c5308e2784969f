"""The project list of a static-only site (`build.py --static-only`): no server, so the
names live in this browser beside the files (kept in localStorage by the page; the files
are in IndexedDB like any cached project). Pure: JSON strings in, JSON strings out."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

KEY = "cospai-local-projects"


def read(raw: str | None) -> list[dict[str, Any]]:
    """Newest first; anything unreadable counts as no project."""
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    if not isinstance(value, list):
        return []
    kept = [p for p in value if isinstance(p, dict) and p.get("id") and p.get("name")]
    return sorted(kept, key=lambda p: str(p.get("created_at", "")), reverse=True)


def added(raw: str | None, name: str, now: datetime | None = None) -> tuple[str, str]:
    """The list with a new project named `name`; returns (new id, new list as JSON)."""
    projects = read(raw)
    pid = str(uuid.uuid4())
    stamp = (now or datetime.now(UTC)).isoformat()
    projects.insert(0, {"id": pid, "name": name.strip(), "created_at": stamp})
    return pid, json.dumps(projects)


def removed(raw: str | None, pid: str) -> str:
    return json.dumps([p for p in read(raw) if str(p["id"]) != pid])


def name_of(raw: str | None, pid: str) -> str | None:
    for project in read(raw):
        if str(project["id"]) == pid:
            return str(project["name"])
    return None
