"""Zip import, into a new project or over an existing one: a single top folder stripped,
ignored entries skipped and listed."""

from __future__ import annotations

from tests.support.api import Api

from .conftest import PNG, SAMPLE, fill, import_into, import_new, make_zip, project_names


def test_import_into_a_new_project(api: Api) -> None:
    response = import_new(api, make_zip(list(SAMPLE.items()), dirs=("src/", "assets/")), "new one")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["skipped"] == []
    project = body["project"]
    assert project["name"] == "new one"
    assert project["file_count"] == len(SAMPLE)
    assert project["total_bytes"] == sum(len(d) for d in SAMPLE.values())
    assert project["version"] == 1
    assert api.contents(project["id"]) == SAMPLE
    assert {f["version"] for f in api.files(project["id"]).values()} == {1}
    # The name is required.
    data = make_zip([("a.txt", b"a")])
    for params in [{}, {"name": ""}, {"name": "   "}, {"name": "n" * 101}]:
        response = api.post(
            "/api/projects/import",
            params=params,
            content=data,
            headers={"content-type": "application/zip"},
        )
        assert response.status_code == 422, params
        assert response.json()["error"]["details"]["field"] == "name"
    assert project_names(api) == ["new one"]


def test_import_name_is_checked_like_any_project_name(api: Api) -> None:
    """POST /api/projects refuses control characters in a name (422, field name); the
    import's ?name= must too, and a NUL must not reach PostgreSQL (a 500)."""
    assert api.post("/api/projects", json={"name": "a\x07b"}).status_code == 422
    data = make_zip([("a.txt", b"a")])
    for name in ["bell\x07", "esc\x1b[31m", "a\x00b"]:
        response = api.post(
            "/api/projects/import",
            params={"name": name},
            content=data,
            headers={"content-type": "application/zip"},
        )
        assert response.status_code == 422, f"{name!r}: {response.status_code} {response.text}"
        assert response.json()["error"]["details"]["field"] == "name"
    assert project_names(api) == []


def test_import_into_an_existing_project_replaces_and_keeps(api: Api) -> None:
    pid = api.new_project("target")["id"]
    fill(api, pid, {"keep.txt": b"keep", "replace.txt": b"old", "src/keep.py": b"k"})
    response = import_into(api, pid, make_zip([("replace.txt", b"new"), ("added/a.bin", PNG)]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["written"] == 2 and body["skipped"] == [] and body["version"] == 2
    assert api.contents(pid) == {
        "keep.txt": b"keep",
        "replace.txt": b"new",
        "src/keep.py": b"k",
        "added/a.bin": PNG,
    }
    files = api.files(pid)
    assert files["keep.txt"]["version"] == files["src/keep.py"]["version"] == 1
    assert files["replace.txt"]["version"] == files["added/a.bin"]["version"] == 2
    info = api.get(f"/api/projects/{pid}").json()
    assert info["file_count"] == 4 and info["total_bytes"] == 4 + 3 + 1 + len(PNG)


def test_a_single_top_folder_is_stripped(api: Api) -> None:
    data = make_zip(
        [
            ("repo-main/README.md", b"# r"),
            ("repo-main/src/a.py", b"a"),
            ("repo-main/.gitignore", b"dist/\n"),
        ],
        dirs=("repo-main/", "repo-main/src/"),
    )
    response = import_new(api, data)
    assert response.status_code == 201, response.text
    pid = response.json()["project"]["id"]
    assert api.contents(pid) == {"README.md": b"# r", "src/a.py": b"a", ".gitignore": b"dist/\n"}
    # Two top folders are kept.
    response = import_new(api, make_zip([("one/a.txt", b"1"), ("two/b.txt", b"2")]))
    pid = response.json()["project"]["id"]
    assert sorted(api.files(pid)) == ["one/a.txt", "two/b.txt"]


def test_ignored_entries_are_skipped_and_listed(api: Api) -> None:
    data = make_zip(
        [
            ("proj/src/app.js", b"app"),
            ("proj/node_modules/lib/index.js", b"lib"),
            ("proj/.git/HEAD", b"ref"),
            ("proj/.env", b"SECRET=1"),
            ("proj/.env.local", b"SECRET=2"),
            ("proj/dist/bundle.js", b"b"),
            ("proj/pkg/build/out.o", b"\0"),
        ]
    )
    response = import_new(api, data)
    assert response.status_code == 201, response.text
    body = response.json()
    assert sorted(body["skipped"]) == sorted(
        [
            "node_modules/lib/index.js",
            ".git/HEAD",
            ".env",
            ".env.local",
            "dist/bundle.js",
            "pkg/build/out.o",
        ]
    )
    assert list(api.files(body["project"]["id"])) == ["src/app.js"]
    # The same for an import into an existing project.
    pid = api.new_project("into")["id"]
    response = import_into(api, pid, data)
    assert response.status_code == 200 and len(response.json()["skipped"]) == 6
    assert list(api.files(pid)) == ["src/app.js"]
