"""Projects through the API: list, create (empty or from a template), get, rename and
describe, duplicate, delete; odd ids and odd names."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import psycopg
import pytest

from tests.support import databases
from tests.support.api import Api
from tests.support.paths import ROOT

TEMPLATES = ROOT / "templates"
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
BINARY = bytes(range(256)) * 3 + b"\x00\xff"


@pytest.fixture(scope="module")
def database_url(pg_admin_url: str) -> Iterator[str]:
    """One database for the module: every test signs up users of its own (`api`), so
    they do not meet, and no test pays for a database of its own."""
    with databases.fresh_database(pg_admin_url) as url:
        yield url


def expect_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    return body["error"]


def query(url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def blob_shas(url: str) -> set[str]:
    return {bytes(row[0]).hex() for row in query(url, "SELECT sha256 FROM blobs")}


def template_files(template_id: str) -> dict[str, bytes]:
    folder = TEMPLATES / template_id
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def contents(api: Api, project_id: str) -> dict[str, bytes]:
    """Every file's bytes: text inline from /files, binary from /blobs/{sha256}."""
    out = {}
    for path, item in api.files(project_id).items():
        if item["binary"]:
            response = api.get(f"/api/projects/{project_id}/blobs/{item['sha256']}")
            assert response.status_code == 200, response.text
            data = response.content
        else:
            data = item["content"].encode("utf-8")
        assert hashlib.sha256(data).hexdigest() == item["sha256"], path
        assert len(data) == item["size"], path
        out[path] = data
    return out


def put_binary(api: Api, project_id: str, path: str, data: bytes, **extra: Any) -> Any:
    ops = {"ops": [{"op": "put", "path": path, "content_ref": "blob"}], **extra}
    return api.post(
        f"/api/projects/{project_id}/sync",
        data={"ops": json.dumps(ops)},
        files={"blob": ("blob", data, "application/octet-stream")},
    )


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- list and create ---------------------------------------------------------------------


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
        expected = template_files(template["id"])
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
        assert contents(api, body["id"]) == expected, template["id"]
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


# --- get, patch --------------------------------------------------------------------------


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


# --- duplicate ---------------------------------------------------------------------------


def test_duplicate_copies_files_and_is_independent_afterwards(api: Api) -> None:
    source = api.post(
        "/api/projects", json={"name": "orig", "description": "desc", "template": "python-cli"}
    ).json()
    sid = source["id"]
    main = api.files(sid)["main.py"]
    assert (
        api.sync(
            sid,
            [
                {
                    "op": "put",
                    "path": "main.py",
                    "base_version": main["version"],
                    "content": "print('edited')\n",
                }
            ],
        ).status_code
        == 200
    )
    assert (
        put_binary(api, sid, "assets/logo.bin", BINARY, revision_message="with logo").status_code
        == 200
    )
    source = api.get(f"/api/projects/{sid}").json()
    source_files = contents(api, sid)
    source_meta = api.files(sid)
    assert source_files["assets/logo.bin"] == BINARY

    response = api.post(f"/api/projects/{sid}/duplicate")
    assert response.status_code == 201, response.text
    copy = response.json()
    cid = copy["id"]
    assert cid != sid
    assert copy["name"] == "orig (copy)"
    assert (copy["description"], copy["template"]) == ("desc", "python-cli")
    assert (copy["file_count"], copy["total_bytes"]) == (
        source["file_count"],
        source["total_bytes"],
    )
    assert copy["version"] == 1
    assert contents(api, cid) == source_files
    copy_meta = api.files(cid)
    assert {p: (f["sha256"], f["size"], f["binary"]) for p, f in copy_meta.items()} == {
        p: (f["sha256"], f["size"], f["binary"]) for p, f in source_meta.items()
    }
    assert {f["version"] for f in copy_meta.values()} == {1}

    # Changing the copy leaves the original as it was, and the other way round.
    assert (
        api.sync(
            cid,
            [
                {"op": "put", "path": "main.py", "base_version": 1, "content": "print('copy')\n"},
                {"op": "delete", "path": "sample.txt", "base_version": 1},
                {"op": "put", "path": "new.txt", "content": "only in the copy\n"},
            ],
        ).status_code
        == 200
    )
    assert contents(api, sid) == source_files
    assert api.get(f"/api/projects/{sid}").json()["version"] == source["version"]
    readme = source_meta["README.md"]["version"]
    assert (
        api.sync(
            sid,
            [
                {
                    "op": "put",
                    "path": "README.md",
                    "base_version": readme,
                    "content": "# changed in the original\n",
                }
            ],
        ).status_code
        == 200
    )
    copy_files = contents(api, cid)
    assert copy_files["README.md"] == source_files["README.md"]
    assert copy_files["main.py"] == b"print('copy')\n" and "sample.txt" not in copy_files
    assert "new.txt" not in contents(api, sid)

    # The copy keeps its contents when the original goes.
    assert api.delete(f"/api/projects/{sid}").status_code == 204
    assert contents(api, cid)["assets/logo.bin"] == BINARY
    assert contents(api, cid)["textstats/counting.py"] == source_files["textstats/counting.py"]


def test_duplicate_with_a_name_and_of_an_empty_project(api: Api) -> None:
    empty = api.new_project("empty")
    response = api.post(f"/api/projects/{empty['id']}/duplicate", json={"name": " Named "})
    assert response.status_code == 201, response.text
    copy = response.json()
    assert copy["name"] == "Named"
    assert (copy["version"], copy["file_count"], copy["total_bytes"]) == (0, 0, 0)
    assert api.files(copy["id"]) == {}
    long = api.new_project("L" * 100)
    long_copy = api.post(f"/api/projects/{long['id']}/duplicate").json()
    assert 1 <= len(long_copy["name"]) <= 100
    expect_error(
        api.post(f"/api/projects/{empty['id']}/duplicate", json={"name": "x" * 101}), 422, "invalid"
    )
    assert len(api.get("/api/projects").json()["projects"]) == 4


# --- delete ------------------------------------------------------------------------------


def test_delete_then_404_and_unreferenced_contents_go(api: Api, database_url: str) -> None:
    # Contents no other test can hold: the database is shared by this module.
    text = {name: f"{name} {uuid.uuid4()}\n" for name in ("v1", "v2", "shared")}
    binary = BINARY + uuid.uuid4().bytes
    doomed = api.new_project("doomed")
    did = doomed["id"]
    assert (
        api.sync(
            did,
            [
                {"op": "put", "path": "a.txt", "content": text["v1"]},
                {"op": "put", "path": "shared.txt", "content": text["shared"]},
            ],
            revision_message="r1",
        ).status_code
        == 200
    )
    assert (
        api.sync(
            did, [{"op": "put", "path": "a.txt", "base_version": 1, "content": text["v2"]}]
        ).status_code
        == 200
    )
    assert put_binary(api, did, "b.bin", binary).status_code == 200
    keeper = api.new_project("keeper")
    assert (
        api.sync(
            keeper["id"],
            [{"op": "put", "path": "s.txt", "content": text["shared"]}],
        ).status_code
        == 200
    )
    sha = {name: hashlib.sha256(data.encode()).hexdigest() for name, data in text.items()}
    sha["bin"] = hashlib.sha256(binary).hexdigest()
    assert set(sha.values()) <= blob_shas(database_url)

    response = api.delete(f"/api/projects/{did}")
    assert response.status_code == 204
    assert response.content == b""
    for method, path in (
        ("GET", ""),
        ("DELETE", ""),
        ("GET", "/files"),
        ("GET", "/revisions"),
        ("GET", f"/blobs/{sha['bin']}"),
    ):
        expect_error(api.request(method, f"/api/projects/{did}{path}"), 404, "not_found")
    expect_error(api.patch(f"/api/projects/{did}", json={"name": "zombie"}), 404, "not_found")
    assert [p["id"] for p in api.get("/api/projects").json()["projects"]] == [keeper["id"]]
    for table in ("projects WHERE id", "files WHERE project_id", "revisions WHERE project_id"):
        assert query(database_url, f"SELECT count(*) FROM {table} = %s", (did,)) == [(0,)]
    remaining = blob_shas(database_url)
    assert sha["shared"] in remaining
    assert not {sha["v1"], sha["v2"], sha["bin"]} & remaining
    assert contents(api, keeper["id"]) == {"s.txt": text["shared"].encode()}


# --- odd ids and names -------------------------------------------------------------------


def project_routes(pid: str, sha: str) -> list[tuple[str, str, dict[str, Any]]]:
    base = f"/api/projects/{pid}"
    archive = zip_of({"z.txt": b"zip\n"})
    return [
        ("GET", base, {}),
        ("PATCH", base, {"json": {"name": "renamed"}}),
        ("DELETE", base, {}),
        ("POST", f"{base}/duplicate", {}),
        ("GET", f"{base}/files", {}),
        ("GET", f"{base}/blobs/{sha}", {}),
        ("POST", f"{base}/sync", {"json": {"ops": [{"op": "put", "path": "x", "content": ""}]}}),
        ("GET", f"{base}/revisions", {}),
        ("POST", f"{base}/revisions", {"json": {"message": "m"}}),
        ("GET", f"{base}/revisions/1", {}),
        ("GET", f"{base}/revisions/1/files/main.py", {}),
        ("POST", f"{base}/revisions/1/restore", {}),
        ("GET", f"{base}/export", {}),
        (
            "POST",
            f"{base}/import",
            {"content": archive, "headers": {"content-type": "application/zip"}},
        ),
        ("POST", f"{base}/upload", {"files": [("f", ("u.txt", b"u", "text/plain"))]}),
    ]


def test_malformed_project_ids_are_404_like_a_missing_project(api: Api) -> None:
    project = api.new_project("real", template="python-cli")
    assert api.sync(project["id"], [], revision_message="r1").status_code == 200
    sha = next(iter(api.files(project["id"]).values()))["sha256"]
    missing = str(uuid.uuid4())
    reference = [
        (r.status_code, r.json())
        for r in (api.request(m, p, **kw) for m, p, kw in project_routes(missing, sha))
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
            for r in (api.request(m, p, **kw) for m, p, kw in project_routes(bad, sha))
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


def test_templates_list_is_public_and_stable(new_api: Any) -> None:
    anonymous = new_api()
    response = anonymous.client.get("/api/templates")
    assert response.status_code == 200
    ids = {t["id"] for t in response.json()["templates"]}
    on_disk = {p.name for p in TEMPLATES.iterdir() if p.is_dir()}
    assert ids == on_disk
