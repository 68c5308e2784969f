"""Bad input to the sync endpoint: every refusal is a clear 4xx in the one error shape, and
the project is left exactly as it was (version, files, blobs, revisions)."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from server.sync_rules import RULES
from tests.support.api import Api


def scalar(url: str, sql: str) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


def put(path: Any, content: str = "x", base: object = None) -> dict[str, Any]:
    return {"op": "put", "path": path, "base_version": base, "content": content}


class Project:
    """A project with a few files, and a way to check nothing about it changed."""

    def __init__(self, api: Api, url: str) -> None:
        self.api, self.url = api, url
        self.id = str(api.new_project("bad-input")["id"])
        response = api.sync(
            self.id, [put("keep.txt", "keep"), put("src/a.js", "a"), put("README.md", "# r")]
        )
        assert response.status_code == 200
        assert api.post(f"/api/projects/{self.id}/revisions", json={}).status_code == 201
        self.before = self.state()

    def state(self) -> dict[str, Any]:
        info = self.api.get(f"/api/projects/{self.id}").json()
        return {
            "project": (info["version"], info["file_count"], info["total_bytes"]),
            "files": {p: (f["version"], f["sha256"]) for p, f in self.api.files(self.id).items()},
            "blobs": scalar(self.url, "SELECT count(*) FROM blobs"),
            "revisions": scalar(self.url, "SELECT count(*) FROM revisions"),
        }

    def sync(self, ops: Any, **extra: Any) -> Any:
        return self.api.post(f"/api/projects/{self.id}/sync", json={"ops": ops, **extra})

    def raw(self, body: bytes, content_type: str = "application/json", **headers: str) -> Any:
        return self.api.post(
            f"/api/projects/{self.id}/sync",
            content=body,
            headers={"content-type": content_type, **headers},
        )

    def refused(
        self, response: Any, status: int, code: str, label: object = "", **details: Any
    ) -> dict[str, Any]:
        """Check the refusal's status, shape, code and details, and that nothing changed."""
        why = f"{label!r}: {response.text}"
        assert response.status_code == status, why
        body = response.json()
        assert set(body) == {"error"}, why
        error = body["error"]
        assert set(error) == {"code", "message", "details"}, why
        assert error["code"] == code, why
        assert isinstance(error["message"], str) and len(error["message"]) > 5, why
        assert "Traceback" not in error["message"], why
        assert isinstance(error["details"], dict), why
        for key, value in details.items():
            assert error["details"].get(key) == value, why
        assert self.state() == self.before, f"{label!r}: a refused request changed the project"
        return error


@pytest.fixture
def project(api: Api, database_url: str) -> Project:
    return Project(api, database_url)


BAD_PATHS = {
    "dotdot": "../x.txt",
    "dotdot_inside": "a/../b.txt",
    "dotdot_last": "a/..",
    "leading_slash": "/etc/passwd",
    "backslash": "a\\b.txt",
    "backslash_dotdot": "..\\evil",
    "nul": "a\x00b.txt",
    "control_01": "a\x01b.txt",
    "control_del": "a\x7fb.txt",
    "newline": "a\nb.txt",
    "tab": "a\tb.txt",
    "long_segment": "x" * (RULES.max_segment_bytes + 1),
    "long_segment_multibyte": "é" * (RULES.max_segment_bytes // 2 + 1),
    "long_path": "/".join(["d" * 100] * 11),
    "empty_segment": "a//b.txt",
    "trailing_slash": "a/",
    "dot_segment": "a/./b.txt",
    "dot_alone": ".",
    "empty": "",
    "lone_surrogate": "a\ud800.txt",
    "not_a_string": 42,
    "null": None,
    "list": ["a.txt"],
}


def test_bad_paths(project: Project) -> None:
    for case, path in BAD_PATHS.items():
        ops = [put("fine.txt"), put(path)]
        body = json.dumps({"ops": ops}).encode()  # \ud800 goes as an escape, as browsers send it
        project.refused(project.raw(body), 422, "invalid_path", case, op=1, field="path")
    for case in ["dotdot", "leading_slash", "backslash", "nul", "empty_segment", "long_path"]:
        bad = BAD_PATHS[case]
        project.refused(
            project.sync([{"op": "delete", "path": bad, "base_version": 1}]),
            422,
            "invalid_path",
            case,
            op=0,
            field="path",
        )
        project.refused(
            project.sync([{"op": "rename", "path": "keep.txt", "to": bad, "base_version": 1}]),
            422,
            "invalid_path",
            case,
            op=0,
            field="to",
        )
        project.refused(
            project.sync([{"op": "rename", "path": bad, "to": "b.txt", "base_version": 1}]),
            422,
            "invalid_path",
            case,
            op=0,
            field="path",
        )


def test_longest_acceptable_names_are_accepted(project: Project) -> None:
    path = "/".join(["s" * 200] * 4)
    path = path + "/" + "f" * (RULES.max_path_bytes - len(path) - 1)
    assert len(path.encode()) == RULES.max_path_bytes
    response = project.sync([put("t" * RULES.max_segment_bytes), put(path)])
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["ok", "ok"]


# contract/sync_rules.json: folder names match any folder segment, file patterns the name,
# both case-insensitively.
IGNORED = [
    "node_modules/x",
    ".git/config",
    "dist/a",
    "build/b",
    ".env",
    ".env.local",
    "sub/node_modules/y",
    "a/.git/HEAD",
    "deep/dist/x/y.js",
    "config/.env.production",
    ".envrc",
    "Node_Modules/x",
    "BUILD/out.o",
    ".ENV",
    "app/.Env.Local",
]


def test_ignored_paths_are_refused(project: Project) -> None:
    for path in IGNORED:
        project.refused(
            project.sync([put("fine.txt"), put(path)]),
            422,
            "ignored_path",
            path,
            op=1,
            field="path",
        )
        project.refused(
            project.sync([{"op": "delete", "path": path, "base_version": 1}]),
            422,
            "ignored_path",
            path,
            op=0,
            field="path",
        )
    project.refused(
        project.sync(
            [{"op": "rename", "path": "keep.txt", "to": "dist/keep.txt", "base_version": 1}]
        ),
        422,
        "ignored_path",
        op=0,
        field="to",
    )


def test_names_that_only_look_ignored_are_fine(project: Project) -> None:
    response = project.sync(
        [
            put("distribution/a.txt"),
            put("my_build/b.txt"),
            put("src/node_modules_notes.md"),
            put("env.txt"),
            put("docs/.gitignore"),
            put("scripts/build"),
            put("dist.js"),
            put("x.env"),
            put(".environment"),
        ]
    )
    assert response.status_code == 200, response.text
    assert {r["status"] for r in response.json()["results"]} == {"ok"}


def test_case_conflicts(project: Project) -> None:
    error = project.refused(
        project.sync([put("fine.txt"), put("readme.md")]), 409, "case_conflict", op=1
    )
    assert error["details"]["existing"] == "README.md"
    project.refused(project.sync([put("KEEP.TXT", "x", 1)]), 409, "case_conflict", op=0)
    project.refused(project.sync([put("Src/A.js", "x", 1)]), 409, "case_conflict", op=0)
    project.refused(project.sync([put("new.txt"), put("NEW.txt")]), 409, "case_conflict", op=1)


def test_files_and_folders_in_each_others_way(project: Project) -> None:
    error = project.refused(
        project.sync([put("fine.txt"), put("src")]), 409, "folder_in_the_way", op=1
    )
    assert error["details"]["path"] == "src"
    project.refused(project.sync([put("SRC")]), 409, "folder_in_the_way", op=0)
    project.refused(
        project.sync([{"op": "rename", "path": "keep.txt", "to": "src", "base_version": 1}]),
        409,
        "folder_in_the_way",
        op=0,
    )
    error = project.refused(
        project.sync([put("fine.txt"), put("keep.txt/inner.js")]), 409, "file_in_the_way", op=1
    )
    assert error["details"]["existing"] == "keep.txt"
    project.refused(project.sync([put("src/a.js/deeper/x.js")]), 409, "file_in_the_way", op=0)
    project.refused(
        project.sync(
            [{"op": "rename", "path": "README.md", "to": "keep.txt/README.md", "base_version": 1}]
        ),
        409,
        "file_in_the_way",
        op=0,
    )
    project.refused(project.sync([put("new/a.txt"), put("new")]), 409, "folder_in_the_way", op=1)
    project.refused(project.sync([put("other"), put("other/a.txt")]), 409, "file_in_the_way", op=1)


def test_lone_surrogate_in_content(project: Project) -> None:
    body = (
        b'{"ops": [{"op": "put", "path": "s.txt", "base_version": null, "content": "a\\ud800b"}]}'
    )
    project.refused(project.raw(body), 422, "invalid_utf8", op=0, field="content")


def test_nul_in_json_content_is_not_stored_as_text(project: Project) -> None:
    """Text is UTF-8 without NUL (contract.rules.is_text); a multipart part declared text
    with a NUL is refused as invalid_utf8, so JSON content with one must not become a text
    file either."""
    response = project.sync([put("nul.txt", "a\x00b")])
    if response.status_code == 200:
        stored = project.api.files(project.id)["nul.txt"]
        assert stored["binary"] is True, f"stored as a text file: {stored}"
    else:
        project.refused(response, 422, "invalid_utf8", op=0, field="content")


def test_oversized_body(project: Project) -> None:
    body = b'{"ops": [], "pad": "' + b"p" * RULES.max_request_bytes + b'"}'
    error = project.refused(project.raw(body), 413, "too_large")
    assert error["details"]["limit"] == RULES.max_request_bytes


def test_malformed_bodies(project: Project) -> None:
    for body in [
        b"{",
        b'{"ops": [}',
        b"",
        b"\xff\xfe{}",
        b"nul\x00",
        b'{"ops": [] } trailing',
        b"NaN-ish",
        b'{"ops": [], "x": "\xff"}',
    ]:
        project.refused(project.raw(body), 400, "malformed_json", body)
    for body in [b"[]", b'[{"op": "put"}]', b'"ops"', b"42", b"null", b"true"]:
        project.refused(project.raw(body), 400, "malformed_json", body)
    for ops in [{"op": "put"}, "put", 42, None, True]:
        project.refused(project.sync(ops), 422, "invalid", ops, field="ops")
    project.refused(project.raw(b'{"revision_message": "x"}'), 422, "invalid", field="ops")


def test_bad_ops(project: Project) -> None:
    for op in [42, "put", None, ["put", "a.txt"]]:
        project.refused(project.sync([put("fine.txt"), op]), 422, "invalid", op, op=1, field="op")
    for kind in ["write", "PUT", "", None, 1, "mkdir", "copy"]:
        op = {"op": kind, "path": "a.txt", "base_version": None, "content": "x"}
        project.refused(project.sync([put("fine.txt"), op]), 422, "invalid", kind, op=1, field="op")
    project.refused(
        project.sync([{"path": "a.txt", "content": "x"}]), 422, "invalid", op=0, field="op"
    )


def test_bad_base_versions(project: Project) -> None:
    for base in [-1, "1", True, False, 1.5, 2**62, [1], {"v": 1}]:
        for op in [
            put("keep.txt", "x", base),
            {"op": "delete", "path": "keep.txt", "base_version": base},
            {"op": "rename", "path": "keep.txt", "to": "k.txt", "base_version": base},
        ]:
            project.refused(
                project.sync([put("fine.txt"), op]), 422, "invalid", op, op=1, field="base_version"
            )
    for kind in ["delete", "rename"]:
        op = {"op": kind, "path": "keep.txt", "to": "k2.txt"}
        project.refused(project.sync([op]), 422, "invalid", kind, op=0, field="base_version")


def test_bad_content_fields(project: Project) -> None:
    for content in [42, None, ["a"], {"text": "a"}, True]:
        op = {"op": "put", "path": "c.txt", "base_version": None, "content": content}
        project.refused(project.sync([op]), 422, "invalid", content, op=0, field="content")
    project.refused(
        project.sync([{"op": "put", "path": "c.txt", "base_version": None}]),
        422,
        "invalid",
        op=0,
        field="content",
    )
    both = {"op": "put", "path": "c.txt", "base_version": None, "content": "x", "content_ref": "p0"}
    project.refused(project.sync([both]), 422, "invalid", op=0, field="content")
    # A JSON sync has no parts to refer to.
    ref = {"op": "put", "path": "c.txt", "base_version": None, "content_ref": "p0"}
    project.refused(project.sync([ref]), 422, "invalid", op=0, field="content_ref")
    project.refused(
        project.sync([{"op": "rename", "path": "keep.txt", "base_version": 1}]),
        422,
        "invalid_path",
        op=0,
        field="to",
    )


def test_missing_csrf_token_and_foreign_origin(project: Project) -> None:
    csrf, project.api.csrf = project.api.csrf, ""
    try:
        project.refused(project.sync([put("a.txt")]), 403, "csrf")
        project.api.csrf = "forged"
        project.refused(project.sync([put("a.txt")]), 403, "csrf")
    finally:
        project.api.csrf = csrf
    response = project.api.post(
        f"/api/projects/{project.id}/sync",
        json={"ops": [put("a.txt")]},
        headers={"origin": "https://evil.example"},
    )
    project.refused(response, 403, "bad_origin")


def test_not_signed_in_and_not_the_owner(project: Project, new_api: Any) -> None:
    stranger = new_api()
    response = stranger.post(f"/api/projects/{project.id}/sync", json={"ops": [put("a.txt")]})
    project.refused(response, 401, "unauthenticated")
    stranger.signup()
    response = stranger.post(f"/api/projects/{project.id}/sync", json={"ops": [put("a.txt")]})
    project.refused(response, 404, "not_found")


def test_bad_revision_message(project: Project) -> None:
    for message in [42, ["m"], "m" * 501, "bell\x07"]:
        project.refused(
            project.sync([put("a.txt")], revision_message=message),
            422,
            "invalid",
            message,
            field="revision_message",
        )
    body = b'{"ops": [], "revision_message": "\\udfff"}'
    project.refused(project.raw(body), 422, "invalid", field="revision_message")


def multipart(project: Project, fields: dict[str, str], parts: dict[str, bytes]) -> Any:
    files = {name: (name, data, "application/octet-stream") for name, data in parts.items()}
    return project.api.post(f"/api/projects/{project.id}/sync", data=fields, files=files)


def test_bad_multipart_bodies(project: Project) -> None:
    project.refused(multipart(project, {"other": "x"}, {"p0": b"\0"}), 400, "malformed_multipart")
    for ops in ["{", "[]", '"x"', "null", "{'ops': []}"]:
        project.refused(multipart(project, {"ops": ops}, {"p0": b"\0"}), 400, "malformed_json", ops)
    body = {
        "ops": [
            {
                "op": "put",
                "path": "b.bin",
                "base_version": None,
                "content_ref": "p0",
                "binary": "yes",
            }
        ]
    }
    project.refused(
        multipart(project, {"ops": json.dumps(body)}, {"p0": b"\0"}),
        422,
        "invalid",
        op=0,
        field="binary",
    )
    response = project.raw(b"--xyz\r\nnot really\r\n", "multipart/form-data; boundary=xyz")
    assert response.status_code == 400, response.text
    project.refused(response, 400, response.json()["error"]["code"])
    assert response.json()["error"]["code"] in {"malformed_multipart", "malformed_json"}
