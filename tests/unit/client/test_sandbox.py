"""client/core/sandbox.py: which sandbox origin runs a project's code, and when none may."""

from __future__ import annotations

import pytest

from client.core.sandbox import (
    SandboxUnavailable,
    file_changes,
    npm_mirror,
    origin_for,
    project_key,
    pypi_mirror,
    share_key,
)

IDE = "http://127.0.0.1:8000"
PATTERN = "http://{project}.localhost:8001"


def test_a_project_gets_a_site_of_its_own() -> None:
    key = project_key("3F2504E0-4F89-11D3-9A0C-0305E82C3301")
    assert key == "p3f2504e04f8911d39a0c0305e82c3301"
    assert origin_for(PATTERN, key, IDE) == f"http://{key}.localhost:8001"
    assert project_key("local-7") == "plocal7"
    assert project_key("embed") == "pembed"
    assert project_key("a" * 200) == "p" + "a" * 60  # one DNS label at most


@pytest.mark.parametrize("hostile", ["", "../../", "évil", "x.y", "a b", "\x00", "{project}"])
def test_hostile_ids_still_give_one_label(hostile: str) -> None:
    key = project_key(hostile)
    assert key[0] == "p" and key.isalnum() and len(key) <= 63
    assert origin_for(PATTERN, key, IDE).endswith(".localhost:8001")


def test_a_share_key_hides_its_token() -> None:
    token = "Zm9vYmFyX3NlY3JldF90b2tlbi12YWx1ZQ"
    key = share_key(token)
    assert key.startswith("s") and len(key) == 33 and token.lower() not in key
    assert share_key(token) == key and share_key(token + "x") != key


@pytest.mark.parametrize(
    ("pattern", "key", "why"),
    [
        (None, "pabc", "no sandbox origin is configured"),
        ("", "pabc", "no sandbox origin is configured"),
        (PATTERN, "", "not a valid sandbox key"),
        (PATTERN, "-abc", "not a valid sandbox key"),
        (PATTERN, "a.b", "not a valid sandbox key"),
        (PATTERN, "A" * 70, "not a valid sandbox key"),
        ("javascript:alert(1)//{project}", "pabc", "is not an origin"),
        ("http://{project}.localhost:8001/path", "pabc", "is not an origin"),
        ("http://127.0.0.1:8001", "pabc", "on the IDE's own host"),  # cookies ignore ports
        ("http://127.0.0.1:8000", "pabc", "on the IDE's own host"),
    ],
)
def test_no_sandbox_rather_than_an_unsafe_one(pattern: str | None, key: str, why: str) -> None:
    with pytest.raises(SandboxUnavailable, match=why):
        origin_for(pattern, key, IDE)


def test_a_shared_sandbox_site_is_allowed() -> None:
    # One site for every project (a pattern without {project}): the README says what that
    # leaves open between projects.
    assert (
        origin_for("https://sandbox.example.net", "pabc", "https://ide.example.com")
        == "https://sandbox.example.net"
    )


def test_file_events_from_the_sandbox_are_checked() -> None:
    good = [
        ["create", "src/a.py", b"x"],
        ["change", "b.txt", memoryview(b"y")],
        ["delete", "old.txt", None],
    ]
    hostile = [
        ["create", "../escaped.txt", b"x"],
        ["create", "/etc/passwd", b"x"],
        ["create", "a/../../b", b"x"],
        ["create", "a//b", b"x"],
        ["create", "./a", b"x"],
        ["create", "a\x00.png", b"x"],
        ["create", "x" * 5000, b"x"],
        ["create", "", b"x"],
        ["explode", "a.txt", b"x"],
        ["create", "a.txt", "text, not bytes"],
        ["create", 7, b"x"],
        ["create", "a.txt"],
        "garbage",
        None,
        {"kind": "create"},
    ]
    changes = file_changes(good + hostile)
    assert [(c.event.kind, c.event.path) for c in changes] == [
        ("create", "src/a.py"),
        ("change", "b.txt"),
        ("delete", "old.txt"),
    ]
    for batch in (None, "x", 3, {"a": 1}):
        assert file_changes(batch) == []


@pytest.mark.parametrize(
    ("config", "mirror"),
    [
        (
            {"mirror": {"pypi": "https://ide.example/api/mirror/pypi/simple"}},
            "https://ide.example/api/mirror/pypi/simple",
        ),
        (
            {"mirror": {"pypi": "http://127.0.0.1:8000/api/mirror/pypi/simple"}},
            "http://127.0.0.1:8000/api/mirror/pypi/simple",
        ),
        ({}, None),  # a static-only build, an older server: the wheelhouse only
        ({"mirror": None}, None),
        ({"mirror": {"pypi": None}}, None),
        ({"mirror": {"pypi": "/api/mirror/pypi/simple"}}, None),  # not absolute
        ({"mirror": {"pypi": "javascript:alert(1)"}}, None),
        ({"mirror": {"pypi": "ftp://ide.example/simple"}}, None),
        ({"mirror": "https://ide.example/simple"}, None),
    ],
)
def test_the_pypi_mirror_is_an_absolute_http_url_or_none(config: dict, mirror: str | None) -> None:
    assert pypi_mirror(config) == mirror


@pytest.mark.parametrize(
    ("config", "registry"),
    [
        (
            {"mirror": {"npm": "https://ide.example/api/mirror/npm/"}},
            "https://ide.example/api/mirror/npm/",
        ),
        # npm appends names to the registry: it always ends in "/".
        (
            {"mirror": {"npm": "http://127.0.0.1:8000/api/mirror/npm"}},
            "http://127.0.0.1:8000/api/mirror/npm/",
        ),
        ({"mirror": {"pypi": "https://ide.example/api/mirror/pypi/simple"}}, None),
        ({"mirror": {"npm": "/api/mirror/npm/"}}, None),  # not absolute
        ({"mirror": {"npm": "javascript:alert(1)//"}}, None),
        ({"mirror": {"npm": "https://ide.example/npm/#x"}}, None),
        ({"mirror": {"npm": ["https://ide.example/npm/"]}}, None),
    ],
)
def test_the_npm_mirror_is_an_absolute_http_url_ending_in_a_slash_or_none(
    config: dict, registry: str | None
) -> None:
    assert npm_mirror(config) == registry
