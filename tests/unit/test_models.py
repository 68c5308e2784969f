"""The request and response models (server/models/): what a body decodes into, how a wrong
one is refused (status, code, the field named), and that the OpenAPI document states the
limits the server enforces, from the same models."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server import limits
from server.bodies import convert, decode
from server.errors import ApiError
from server.models import requests as rq
from server.models import responses as rs
from server.openapi import document
from server.repo.files import StoredFile
from server.repo.projects import Project
from server.repo.revisions import Revision
from server.repo.users import User
from server.routes.auth import user_json
from server.routes.common import file_json, project_json, revision_json
from server.sync_rules import RULES


def refused(raw: Any, model: type[rq.Body] = rq.SyncRequest) -> ApiError:
    body = raw if isinstance(raw, bytes) else json.dumps(raw).encode()
    with pytest.raises(ApiError) as caught:
        decode(body, model)
    return caught.value


def put(path: Any = "a.txt", **fields: Any) -> dict[str, Any]:
    return {"op": "put", "path": path, "content": "x", **fields}


# (body, model) -> (status, code, details, words the message holds)
REFUSALS = [
    ({"ops": 42}, rq.SyncRequest, (422, "invalid", {"field": "ops"}, "must be a list")),
    ({"revision_message": "m"}, rq.SyncRequest, (422, "invalid", {"field": "ops"}, "required")),
    ({"ops": [put(), 7]}, rq.SyncRequest, (422, "invalid", {"op": 1, "field": "op"}, "object")),
    (
        {"ops": [put(), {"op": "copy", "path": "a"}]},
        rq.SyncRequest,
        (422, "invalid", {"op": 1, "field": "op"}, "one of put, patch, delete, rename"),
    ),
    ({"ops": [put(42)]}, rq.SyncRequest, (422, "invalid_path", {"op": 0, "field": "path"}, "")),
    (
        {"ops": [{"op": "rename", "path": "a", "base_version": 1, "to": None}]},
        rq.SyncRequest,
        (422, "invalid_path", {"op": 0, "field": "to"}, "a rename needs 'to'"),
    ),
    (
        {"ops": [put(base_version=True)]},
        rq.SyncRequest,
        (422, "invalid", {"op": 0, "field": "base_version"}, "an integer or null"),
    ),
    (
        {"ops": [put(base_version=2**62)]},
        rq.SyncRequest,
        (422, "invalid", {"op": 0, "field": "base_version"}, f"at most {limits.MAX_VERSION}"),
    ),
    (
        {"ops": [{"op": "patch", "path": "a", "base_version": 1, "edits": [{"start": "0"}]}]},
        rq.SyncRequest,
        (422, "invalid", {"op": 0, "field": "edits"}, "'edits[0].start' must be an integer"),
    ),
    (
        {"ops": [put(f"f{i}") for i in range(limits.MAX_OPS + 1)]},
        rq.SyncRequest,
        (413, "too_many_ops", {"field": "ops", "limit": limits.MAX_OPS}, "at most"),
    ),
    ({"name": "   "}, rq.NewProject, (422, "invalid", {"field": "name"}, "at least 1")),
    ({"name": "a\x85b"}, rq.NewProject, (422, "invalid", {"field": "name"}, "control")),
    ({"name": "x" * 101}, rq.NewProject, (422, "invalid", {"field": "name"}, "at most 100")),
    ({"email": "a@b", "password": "p" * 8}, rq.SignUp, (422, "invalid", {"field": "email"}, "")),
    (
        {"email": "a@b.co", "password": "p" * 7},
        rq.SignUp,
        (422, "invalid", {"field": "password"}, "at least 8"),
    ),
    (b'{"name": "\\ud800"}', rq.NewProject, (422, "invalid", {"field": "name"}, "UTF-8")),
    (b'{"ops": [], "x": [[[[1]]]] ', rq.SyncRequest, (400, "malformed_json", {}, "not valid")),
    (
        b"[" * 100 + b"]" * 100,
        rq.NewRevision,
        (400, "malformed_json", {"max_depth": limits.MAX_DEPTH}, "levels deep"),
    ),
]


@pytest.mark.parametrize(("raw", "model", "expected"), REFUSALS)
def test_refusals_name_the_field(
    raw: Any, model: type[rq.Body], expected: tuple[int, str, dict[str, Any], str]
) -> None:
    error = refused(raw, model)
    status, code, details, words = expected
    assert (error.status, error.code, error.details) == (status, code, details), error.message
    assert words in error.message
    assert "`" not in error.message and "$." not in error.message  # msgspec's own notation


def test_text_fields_are_cleaned_as_they_decode() -> None:
    body = decode(
        b'{"email": " Ann@Example.COM ", "password": " pass word ", "display_name": " Ann "}',
        rq.SignUp,
    )
    assert (body.email, body.password, body.display_name) == (
        "ann@example.com",
        " pass word ",  # a secret is taken exactly as sent
        "Ann",
    )
    project = decode(b'{"name": " p ", "description": "a\\n\\tb\\n"}', rq.NewProject)
    assert (project.name, project.description) == ("p", "a\n\tb")


def test_a_lone_surrogate_reaches_the_field_check_not_a_400() -> None:
    """msgspec's parser refuses \\ud800; JSON allows it, so the field is refused by name."""
    raw = b'{"ops": [{"op": "put", "path": "a.txt", "content": "a\\ud800"}]}'
    body = decode(raw, rq.SyncRequest)
    op = body.ops[0]
    assert isinstance(op, rq.PutOp) and op.content == "a\ud800"


def test_fields_a_body_does_not_name_are_ignored_once_read_within_bounds() -> None:
    body = decode(json.dumps({"ops": [put(note="hi")], "pad": [1, {}]}).encode(), rq.SyncRequest)
    assert isinstance(body.ops[0], rq.PutOp)
    assert decode(b'{"title": "t"}', rq.ProjectChange) == rq.ProjectChange()
    # msgspec skips what a model does not name; the careful path still reads it.
    for pad, words in [
        (b'"\xff"', "not valid JSON"),
        (b"9" * 41, "a number with 41 digits"),
        (b"[" * 40 + b"]" * 40, "levels deep"),
    ]:
        error = refused(b'{"ops": [], "pad": ' + pad + b"}")
        assert (error.status, error.code) == (400, "malformed_json") and words in error.message


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
OP_FIELDS = st.sampled_from(["op", "path", "to", "base_version", "content", "edits", "start"])


@settings(max_examples=300, derandomize=True)
@given(
    st.lists(
        st.dictionaries(OP_FIELDS, JSON_VALUES | st.sampled_from(["put", "a.txt"])), max_size=3
    )
)
def test_the_fast_decoder_and_the_explaining_path_agree(ops: list[dict[str, Any]]) -> None:
    """Whatever msgspec's decoder takes, convert takes the same way; whatever it refuses,
    the answer is an ApiError (never an exception of msgspec's)."""
    data = {"ops": ops}
    try:
        fast = msgspec.json.decode(json.dumps(data).encode(), type=rq.SyncRequest)
    except msgspec.ValidationError:
        fast = None
    try:
        slow = convert(data, rq.SyncRequest)
    except ApiError as error:
        assert fast is None, error.message
        assert error.status in (413, 422) and "field" in error.details
    else:
        assert fast == slow


def schema(name: str) -> dict[str, Any]:
    found: dict[str, Any] = document()["components"]["schemas"][name]
    return found


def test_the_document_states_the_enforced_limits() -> None:
    sync = schema("SyncRequest")["properties"]
    assert sync["ops"]["maxItems"] == limits.MAX_OPS == RULES.max_ops_per_sync
    assert schema("PatchOp")["properties"]["edits"]["maxItems"] == limits.MAX_EDITS
    assert schema("NewProject")["properties"]["name"]["maxLength"] == limits.NAME
    assert schema("PutOp")["properties"]["path"]["maxLength"] == RULES.max_path_bytes
    password = schema("SignUp")["properties"]["password"]
    assert (password["minLength"], password["maxLength"]) == (
        limits.PASSWORD_MIN,
        limits.PASSWORD_MAX,
    )
    paths = document()["paths"]
    bodies: list[tuple[str, str, type[rq.Body]]] = [
        ("/auth/signup", "post", rq.SignUp),
        ("/projects", "post", rq.NewProject),
        ("/projects/{project_id}/duplicate", "post", rq.Duplication),
    ]
    for path, method, model in bodies:
        body = paths[path][method]["requestBody"]
        assert f"At most {model.max_bytes} bytes." in body["description"]
        assert body["required"] is not model.may_be_empty


def test_request_schemas_are_open_and_response_schemas_closed() -> None:
    for name in ["SignUp", "NewProject", "ProjectChange", "SyncRequest", "PutOp", "RenameOp"]:
        assert "additionalProperties" not in schema(name), name
    for name in ["Project", "Session", "SyncOk", "SyncConflict", "File", "Share", "Error"]:
        assert schema(name)["additionalProperties"] is False, name


NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_the_routes_build_what_the_response_models_say() -> None:
    """The routes build plain dicts; each converts into its closed response model."""
    project = Project(uuid4(), uuid4(), "p", "", None, 3, 1, 5, NOW, NOW, None)
    msgspec.convert(project_json(project), rs.Project)
    msgspec.convert(revision_json(Revision(1, "m", 3, 1, 5, NOW)), rs.Revision)
    msgspec.convert(user_json(User(uuid4(), "a@b.co", "", NOW)), rs.User)
    stored = StoredFile("a.txt", b"\x01" * 32, 5, False, 2)
    msgspec.convert({**file_json(stored), "content": "hello"}, rs.File)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({**project_json(project), "owner": "x"}, rs.Project)
