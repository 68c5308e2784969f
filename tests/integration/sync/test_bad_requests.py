"""Bad requests to the sync endpoint (bodies, operations, contents, multipart, who sends
them): every refusal is a clear 4xx in the one error shape, and the project is left
exactly as it was (version, files, blobs, revisions)."""

from __future__ import annotations

import json
from typing import Any

from server.sync_rules import RULES

from .conftest import Project, put


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


def test_bad_multipart_bodies(project: Project) -> None:
    project.refused(project.parts({"other": "x"}, {"p0": b"\0"}), 400, "malformed_multipart")
    for ops in ["{", "[]", '"x"', "null", "{'ops': []}"]:
        project.refused(project.parts({"ops": ops}, {"p0": b"\0"}), 400, "malformed_json", ops)
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
        project.parts({"ops": json.dumps(body)}, {"p0": b"\0"}),
        422,
        "invalid",
        op=0,
        field="binary",
    )
    response = project.raw(b"--xyz\r\nnot really\r\n", "multipart/form-data; boundary=xyz")
    assert response.status_code == 400, response.text
    project.refused(response, 400, response.json()["error"]["code"])
    assert response.json()["error"]["code"] in {"malformed_multipart", "malformed_json"}
