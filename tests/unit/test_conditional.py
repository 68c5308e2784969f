"""If-None-Match (server/conditional.py): the tags a header lists, compared weakly as RFC
9110 asks (a proxy that compresses on the fly weakens the tag it passes on, and the browser
sends back `W/"…"`: that was a full answer every time), and `*` for any. The static site's
answers follow; project loads and share links are tested with their routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from server.conditional import if_none_match, matches
from tests.unit.serving.conftest import SITE, get, make_app, write_dist

TAG = '"0123456789abcdef0123456789abcdef"'


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        (None, set()),
        ("", set()),
        (" , ,", set()),
        (TAG, {TAG}),
        (f"W/{TAG}", {TAG}),
        (f' "a" ,W/"b",{TAG} ', {'"a"', '"b"', TAG}),
        ("*", {"*"}),
        ('w/"a"', {'w/"a"'}),  # the weak prefix is a capital W
    ],
)
def test_the_tags_a_header_lists(header: str | None, tags: set[str]) -> None:
    assert if_none_match(header) == tags


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (TAG, True),
        (f"W/{TAG}", True),
        (f'"other", W/{TAG}', True),
        ("*", True),
        ('"other", *', True),
        (None, False),
        ("", False),
        ('"other"', False),
        (TAG.upper(), False),  # tags are compared exactly
        (TAG.strip('"'), False),  # unquoted is another tag
        (TAG[:-2] + '"', False),  # a prefix is another tag
        (f"{TAG}x", False),
    ],
)
def test_which_headers_name_a_tag(header: str | None, expected: bool) -> None:
    assert matches(TAG, header) is expected


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    dist: Path = write_dist(tmp_path_factory.mktemp("conditional") / "dist", SITE, "build-1")
    return TestClient(make_app(dist))


@pytest.mark.parametrize("encoding", ["identity", "br", "gzip"])
def test_the_static_site_takes_a_weakened_tag_back(client: TestClient, encoding: str) -> None:
    path = "/assets/app-1/main.mjs"
    first = get(client, path, encoding)
    etag = first.headers["etag"]
    weak = get(client, path, encoding, **{"if-none-match": f"W/{etag}"})
    assert weak.status_code == 304 and weak.content == b""
    assert weak.headers["etag"] == etag
    # The weak form of another representation's tag still validates nothing.
    other = "identity" if encoding != "identity" else "br"
    elsewhere = get(client, path, other, **{"if-none-match": f"W/{etag}"})
    assert elsewhere.status_code == 200 and elsewhere.headers["etag"] != etag
