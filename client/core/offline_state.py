"""What the IDE remembers so that it opens without the network: who was signed in and the
last project list the server gave. Pure: the page keeps the strings in localStorage.

Neither is a secret nor a credential. The remembered user only lets the offline shell show
that person's cached projects; every API call still needs the session cookie, which the
server checks, and signing out forgets both.
"""

from __future__ import annotations

import json
from typing import Any

USER_KEY = "cospai-signed-in"
_LIST_FIELDS = ("id", "name", "file_count", "opened_at", "updated_at")


def list_key(user_id: str) -> str:
    return f"cospai-projects-{user_id}"


def remembered_user(raw: str | None) -> dict[str, str] | None:
    """The user saved by user_record, or None when nothing (or something unreadable) is."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, dict) or not value.get("id") or not value.get("email"):
        return None
    return {"id": str(value["id"]), "email": str(value["email"])}


def user_record(user: dict[str, Any]) -> str:
    """The part of a signed-in user worth keeping offline: id and email, nothing else."""
    return json.dumps({"id": str(user["id"]), "email": str(user.get("email", ""))})


def list_record(projects: list[dict[str, Any]]) -> str:
    """The fields of the project list the dashboard draws offline."""
    return json.dumps([{k: p.get(k) for k in _LIST_FIELDS} for p in projects])


def remembered_list(raw: str | None) -> list[dict[str, Any]]:
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(value, list):
        return []
    return [p for p in value if isinstance(p, dict) and p.get("id") and p.get("name")]


def offline_projects(
    known: list[dict[str, Any]], cached: set[str]
) -> list[tuple[dict[str, Any], bool]]:
    """Each project of the last list from the server, in its order, with whether it can be
    opened offline (its files are cached in this browser). Cached projects missing from the
    list are not shown: the cache is per browser, not per person, and may hold another
    account's projects."""
    return [(p, str(p["id"]) in cached) for p in known]
