"""client/core/offline_state.py: what is remembered for offline use, and nothing more."""

from __future__ import annotations

import json

from client.core import offline_state


def test_user_record_keeps_only_id_and_email() -> None:
    user = {
        "id": "u1",
        "email": "ada@example.com",
        "display_name": "Ada",
        "created_at": "2026-01-01T00:00:00+00:00",
        "csrf_token": "secret",
    }
    raw = offline_state.user_record(user)
    assert json.loads(raw) == {"id": "u1", "email": "ada@example.com"}
    assert offline_state.remembered_user(raw) == {"id": "u1", "email": "ada@example.com"}


def test_unreadable_or_partial_records_mean_nobody() -> None:
    for raw in [None, "", "not json", "[]", "{}", '{"id": "u1"}', '{"email": "a@b"}']:
        assert offline_state.remembered_user(raw) is None


def test_list_record_round_trip_keeps_the_drawn_fields() -> None:
    projects = [
        {
            "id": "p1",
            "name": "One",
            "file_count": 3,
            "opened_at": "t1",
            "updated_at": "t2",
            "description": "long text",
            "owner": "u1",
        }
    ]
    again = offline_state.remembered_list(offline_state.list_record(projects))
    assert again == [
        {"id": "p1", "name": "One", "file_count": 3, "opened_at": "t1", "updated_at": "t2"}
    ]
    assert offline_state.remembered_list("garbage") == []
    assert offline_state.remembered_list('{"id": 1}') == []
    assert offline_state.remembered_list('[{"id": "x"}, 3]') == []


def test_offline_rows_mark_projects_without_a_local_copy() -> None:
    known = [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]
    rows = offline_state.offline_projects(known, {"b", "someone-elses"})
    assert [(p["id"], here) for p, here in rows] == [("a", False), ("b", True)]


def test_list_keys_are_per_user() -> None:
    assert offline_state.list_key("u1") != offline_state.list_key("u2")
