"""One project through the API: get it, rename and describe it; ids that are not a
project's, and names holding HTML."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.api import Api, expect_error

from .conftest import routes


def test_get_a_project(api: Api) -> None:
    project = api.new_project("get me", template="static-site")
    response = api.get(f"/api/projects/{project['id']}")
    assert response.status_code == 200
    assert response.json() == project
    assert response.headers["cache-control"] == "no-store"
    expect_error(api.get(f"/api/projects/{uuid.uuid4()}"), 404, "not_found")


def test_patch_name_and_description(api: Api) -> None:
    project = api.new_project("before")
    url = f"/api/projects/{project['id']}"
    renamed = api.patch(url, json={"name": "  after  "})
    assert renamed.status_code == 200, renamed.text
    body = renamed.json()
    assert (body["name"], body["description"]) == ("after", "")
    assert body["updated_at"] > project["updated_at"]
    assert body["created_at"] == project["created_at"]

    described = api.patch(url, json={"description": "what it does"}).json()
    assert (described["name"], described["description"]) == ("after", "what it does")
    both = api.patch(url, json={"name": "both", "description": "changed"}).json()
    assert (both["name"], both["description"]) == ("both", "changed")
    cleared = api.patch(url, json={"description": ""}).json()
    assert (cleared["name"], cleared["description"]) == ("both", "")
    assert api.get(url).json() == cleared


def test_patch_refusals(api: Api) -> None:
    project = api.new_project("stays")
    url = f"/api/projects/{project['id']}"
    cases: list[tuple[Any, str]] = [
        ({}, "name"),
        ({"name": None, "description": None}, "name"),
        ({"title": "ignored field only"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": 1}, "name"),
        ({"name": "a\x1bb"}, "name"),
        ({"description": "d" * 2001}, "description"),
        ({"name": "fine", "description": "d" * 2001}, "description"),
    ]
    for body, field in cases:
        error = expect_error(api.patch(url, json=body), 422, "invalid")
        assert error["details"] == {"field": field}, body
    for raw in (b"", b"{", b"[]"):
        expect_error(
            api.patch(url, content=raw, headers={"content-type": "application/json"}),
            400,
            "malformed_json",
        )
    assert api.get(url).json() == project


ETAG = '"0"'  # any: a project that is not there has no files to match


def test_malformed_project_ids_are_404_like_a_missing_project(api: Api) -> None:
    project = api.new_project("real", template="python-cli")
    assert api.sync(project["id"], [], revision_message="r1").status_code == 200
    sha = next(iter(api.files(project["id"]).values()))["sha256"]
    missing = str(uuid.uuid4())
    reference = [
        (r.status_code, r.json())
        for r in (api.request(m, p, **kw) for m, p, kw in routes(missing, sha, ETAG))
    ]
    assert {status for status, _ in reference} == {404}
    assert all(body["error"]["code"] == "not_found" for _, body in reference)
    for bad in (
        "not-a-uuid",
        "123",
        "0" * 33,
        "g" * 32,
        project["id"][:-1],
        project["id"] + "0",
        project["id"].replace("-", "_"),
        "%20",
        "null",
        "x" * 500,
    ):
        answers = [
            (r.status_code, r.json())
            for r in (api.request(m, p, **kw) for m, p, kw in routes(bad, sha, ETAG))
        ]
        assert answers == reference, bad
    # The real project was not touched by any of it.
    assert api.get(f"/api/projects/{project['id']}").json()["name"] == "real"
    assert len(api.get("/api/projects").json()["projects"]) == 1


def test_html_in_names_is_stored_and_returned_literally(api: Api) -> None:
    name = "<img src=x onerror=alert(1)>"
    description = "\"><script>alert('x')</script>&amp; ünïcødé 🚀"
    created = api.post("/api/projects", json={"name": name, "description": description})
    assert created.status_code == 201
    assert created.headers["content-type"] == "application/json"
    project = created.json()
    assert (project["name"], project["description"]) == (name, description)
    assert api.get(f"/api/projects/{project['id']}").json()["name"] == name
    assert api.get("/api/projects").json()["projects"][0]["description"] == description
    renamed = api.patch(f"/api/projects/{project['id']}", json={"name": name + "2"}).json()
    assert renamed["name"] == name + "2"
    copy = api.post(f"/api/projects/{project['id']}/duplicate").json()
    assert copy["name"] == name + "2 (copy)"
    export = api.get(f"/api/projects/{project['id']}/export")
    assert export.status_code == 200
    disposition = export.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    filename = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert filename == "img-src-x-onerror-alert-1-2.zip"
