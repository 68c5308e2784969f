"""Listing and creating projects through the API: empty or from a template, what a
name may hold, and the public list of templates."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from server import templates
from tests.support.api import Api, expect_error
from tests.support.databases import query

from .conftest import TEMPLATES

PROJECT_KEYS = {
    "id",
    "name",
    "description",
    "template",
    "version",
    "file_count",
    "total_bytes",
    "created_at",
    "updated_at",
    "opened_at",
}


def test_list_starts_empty(api: Api) -> None:
    response = api.get("/api/projects")
    assert response.status_code == 200
    assert response.json() == {"projects": []}
    assert response.headers["cache-control"] == "no-store"


def test_create_an_empty_project(api: Api) -> None:
    response = api.post("/api/projects", json={"name": "  My app  ", "description": "Notes"})
    assert response.status_code == 201, response.text
    project = response.json()
    assert set(project) == PROJECT_KEYS
    assert str(uuid.UUID(project["id"])) == project["id"]
    assert project["name"] == "My app"
    assert project["description"] == "Notes"
    assert project["template"] is None
    assert (project["version"], project["file_count"], project["total_bytes"]) == (0, 0, 0)
    assert project["opened_at"] is None
    assert datetime.fromisoformat(project["created_at"]).tzinfo is not None
    assert api.get(f"/api/projects/{project['id']}").json() == project
    assert api.get("/api/projects").json() == {"projects": [project]}
    assert api.files(project["id"]) == {}
    # A null template is no template.
    plain = api.post("/api/projects", json={"name": "plain", "template": None})
    assert plain.status_code == 201 and plain.json()["template"] is None


def test_list_shows_the_most_recently_used_first(api: Api) -> None:
    a, b, c = (api.new_project(n)["id"] for n in ("a", "b", "c"))
    order = [p["id"] for p in api.get("/api/projects").json()["projects"]]
    assert order == [c, b, a]
    api.files(a)  # opening a project moves it to the top
    order = [p["id"] for p in api.get("/api/projects").json()["projects"]]
    assert order == [a, c, b]


def test_create_validates_name_and_description(api: Api) -> None:
    cases: list[tuple[Any, str]] = [
        ({}, "name"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": 5}, "name"),
        ({"name": ["a"]}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"name": "bell\x07"}, "name"),
        ({"name": "esc\x1b[31m"}, "name"),
        ({"name": "cr\rlf"}, "name"),
        ({"name": "ok", "description": "d" * 2001}, "description"),
        ({"name": "ok", "description": 7}, "description"),
        ({"name": "ok", "description": "nul\x00"}, "description"),
    ]
    for body, field in cases:
        error = expect_error(api.post("/api/projects", json=body), 422, "invalid")
        assert error["details"] == {"field": field}, body
    for raw in (b"{", b"[]", b'"name"'):
        response = api.post(
            "/api/projects", content=raw, headers={"content-type": "application/json"}
        )
        expect_error(response, 400, "malformed_json")
    assert api.get("/api/projects").json() == {"projects": []}
    # The bounds themselves are fine.
    longest = api.post(
        "/api/projects", json={"name": "  " + "n" * 100 + "  ", "description": "d" * 2000}
    )
    assert longest.status_code == 201, longest.text
    assert longest.json()["name"] == "n" * 100
    assert longest.json()["description"] == "d" * 2000
    assert api.new_project("x")["name"] == "x"


def test_create_refuses_del_and_c1_control_characters_in_names(api: Api) -> None:
    """DEL (U+007F) and the C1 controls (U+0080..U+009F, e.g. U+009B, a terminal's CSI)
    are control characters as much as U+001B: a name holding one must be refused."""
    project = api.new_project("fine")
    for name in ("del\x7f", "csi\x9b31m", "nel\x85"):
        error = expect_error(api.post("/api/projects", json={"name": name}), 422, "invalid")
        assert error["details"] == {"field": "name"}, repr(name)
        error = expect_error(
            api.patch(f"/api/projects/{project['id']}", json={"name": name}), 422, "invalid"
        )
        assert error["details"] == {"field": "name"}, repr(name)


def test_create_from_each_template_copies_its_files_byte_for_byte(api: Api) -> None:
    response = api.get("/api/templates")
    assert response.status_code == 200
    listed = response.json()["templates"]
    index = json.loads((TEMPLATES / "index.json").read_text())
    assert [t["id"] for t in listed] == [t["id"] for t in index]
    assert len(listed) >= 1
    for template in listed:
        assert set(template) == {"id", "name", "description", "runtime"}
        expected = templates.files_of(template["id"])
        assert expected, template["id"]
        project = api.post(
            "/api/projects",
            json={"name": template["name"], "template": template["id"], "description": "from tpl"},
        )
        assert project.status_code == 201, project.text
        body = project.json()
        assert body["template"] == template["id"]
        assert body["description"] == "from tpl"
        assert body["file_count"] == len(expected) > 0
        assert body["total_bytes"] == sum(len(d) for d in expected.values())
        assert body["version"] >= 1
        assert api.contents(body["id"]) == expected, template["id"]
    assert len(api.get("/api/projects").json()["projects"]) == len(listed)


def test_unknown_template_is_422(api: Api, database_url: str) -> None:
    for template in ("nope", "../python-cli", "python-cli/", "", 5, ["python-cli"]):
        response = api.post("/api/projects", json={"name": "t", "template": template})
        error = expect_error(response, 422, "invalid")
        assert error["details"] == {"field": "template"}, template
    assert api.get("/api/projects").json() == {"projects": []}
    assert query(
        database_url, "SELECT count(*) FROM projects WHERE owner_id = %s", (api.user["id"],)
    ) == [(0,)]


def test_templates_list_is_public_and_stable(new_api: Any) -> None:
    anonymous = new_api()
    response = anonymous.client.get("/api/templates")
    assert response.status_code == 200
    ids = {t["id"] for t in response.json()["templates"]}
    on_disk = {p.name for p in TEMPLATES.iterdir() if p.is_dir()}
    assert ids == on_disk
