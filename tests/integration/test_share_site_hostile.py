"""The share origin (server/share_site.py) under hostile and unusual requests: control
characters and NUL in the path (PostgreSQL refuses a NUL: that was a 500), encoded
traversal, tokens of the wrong shape, folders whose names need escaping in a redirect
(日本 was a 500, `a?b` sent the browser elsewhere), conditional and HEAD requests, other
methods. One project and one link serve the whole module."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.support import databases
from tests.support.api import BASE_URL, TEST_HOSTS, Api, tiny_dist

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
SITE = {
    "index.html": "<h1>home</h1>",
    "404.html": "<h1>our own 404</h1>",
    "docs/index.html": "docs",
    "日本/index.html": "jp",
    "a b?c#d/index.html": "odd folder",
    "café.html": "accented",
    "Read Me.txt": "spaced",
    "data.json": '{"a": 1}',
}
OWN_404 = "No such file in this shared link."


class Link:
    """The module's published link: its token, the share origin, and the owner's API."""

    def __init__(self, api: Api, share: TestClient, project_id: str, token: str) -> None:
        self.api, self.share, self.project_id, self.token = api, share, project_id, token

    def get(self, rest: str, **kwargs: Any) -> Any:
        return self.share.get(f"/s/{self.token}/{rest}", follow_redirects=False, **kwargs)


@pytest.fixture(scope="module")
def link(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Link]:
    settings = Settings(
        dist_dir=tiny_dist(tmp_path_factory.mktemp("dist")),
        share_host="share.test",
        allowed_hosts=TEST_HOSTS,
    )
    with databases.fresh_database(pg_admin_url) as url:
        app = create_app(settings, database_url=url)
        with (
            TestClient(app, base_url=BASE_URL) as ide,
            TestClient(app, base_url="http://share.test") as share,
        ):
            api = Api(ide)
            api.signup()
            pid = api.new_project("hostile")["id"]
            ops = [
                {"op": "put", "path": path, "base_version": None, "content": text}
                for path, text in SITE.items()
            ]
            ops.append({"op": "put", "path": "logo.png", "base_version": None, "content_ref": "p"})
            saved = api.sync_parts(pid, {"ops": json.dumps({"ops": ops})}, {"p": PNG})
            assert saved.status_code == 200, saved.text
            created = api.post(f"/api/projects/{pid}/shares", json={})
            assert created.status_code == 201, created.text
            yield Link(api, share, pid, created.json()["token"])


def assert_our_page(response: Any, status: int, words: str) -> None:
    """One of the share origin's own pages (not the project's), with its headers."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert words in response.text, response.text
    assert "our own 404" not in response.text
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-cache"
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "rest",
    [
        "%00",
        "index.html%00",
        "index.html%00.png",
        "docs%00/index.html",
        "a%0Ab",
        "%0D%0ASet-Cookie:%20x=1",
        "%7F",
        "%C2%85",  # U+0085, a C1 line break
        "%C2%9B",  # U+009B, a terminal escape
        "docs%5Cindex.html",
        "%5C..%5Cindex.html",
    ],
)
def test_paths_no_project_can_hold_are_404_before_any_lookup(link: Link, rest: str) -> None:
    assert_our_page(link.get(rest), 404, OWN_404)


@pytest.mark.parametrize(
    "rest",
    [
        "%2E%2E/index.html",
        "docs/%2E%2E/index.html",
        "docs/%2e/index.html",
        "..%2F..%2Fetc%2Fpasswd",
        "docs/%2E%2E",
    ],
)
def test_encoded_dot_segments_are_404(link: Link, rest: str) -> None:
    assert_our_page(link.get(rest), 404, OWN_404)


def test_a_missing_file_is_answered_with_the_projects_own_404_page(link: Link) -> None:
    for rest in ("missing.html", "docs/missing/", "DOCS/index.html", "index.htm"):
        response = link.get(rest)
        assert response.status_code == 404, rest
        assert response.text == SITE["404.html"], rest
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    ("folder", "location", "content"),
    [
        ("docs", "docs/", "docs"),
        ("%E6%97%A5%E6%9C%AC", "%E6%97%A5%E6%9C%AC/", "jp"),
        ("a%20b%3Fc%23d", "a%20b%3Fc%23d/", "odd folder"),
    ],
)
def test_a_folder_without_its_slash_redirects_to_an_escaped_location(
    link: Link, folder: str, location: str, content: str
) -> None:
    moved = link.get(folder)
    assert moved.status_code == 301, moved.text
    assert moved.headers["location"] == location
    assert moved.headers["cache-control"] == "no-cache"
    followed = link.get(location)  # relative to /s/<token>/, as a browser resolves it
    assert followed.status_code == 200 and followed.text == content


def test_names_with_spaces_and_accents_are_served(link: Link) -> None:
    assert link.get("caf%C3%A9.html").text == "accented"
    spaced = link.get("Read%20Me.txt")
    assert spaced.text == "spaced"
    assert spaced.headers["content-type"] == "text/plain; charset=utf-8"
    assert link.get("data.json").headers["content-type"] == "application/json"


def test_head_has_the_length_and_tag_of_get_without_a_body(link: Link) -> None:
    got = link.get("logo.png")
    head = link.share.head(f"/s/{link.token}/logo.png")
    assert got.content == PNG and got.headers["content-type"] == "image/png"
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(PNG))
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["etag"] == f'"{hashlib.sha256(PNG).hexdigest()[:32]}"'


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("{etag}", 304),
        ("W/{etag}", 304),  # weak comparison, as If-None-Match asks
        ('"other", {etag}', 304),
        ("*", 304),
        ('"other"', 200),
        ("", 200),
        ("{etag_upper}", 200),  # a tag is compared exactly
    ],
)
def test_conditional_requests(link: Link, header: str, status: int) -> None:
    etag = link.get("").headers["etag"]
    sent = header.format(etag=etag, etag_upper=etag.upper())
    response = link.get("", headers={"if-none-match": sent})
    assert response.status_code == status, sent
    if status == 304:
        assert response.content == b"" and response.headers["etag"] == etag
        assert response.headers["cache-control"] == "no-cache"
    else:
        assert response.text == SITE["index.html"]


@pytest.mark.parametrize(
    "path",
    [
        "/s/short/",
        "/s/" + "a" * 65 + "/",
        "/s/" + "a" * 31 + "/",
        "/s/" + "a" * 40 + ".b/",
        "/s/" + "a" * 40 + "+b/",
        "/s/" + "a" * 40 + "%00/",
        "/s/" + "é" * 40 + "/",
        "/s/",
        "/s//index.html",
        "/share/x/",
        "/",
        "/api/health",
    ],
)
def test_anything_but_a_token_shaped_link_is_404(link: Link, path: str) -> None:
    response = link.share.get(path, follow_redirects=False)
    assert_our_page(response, 404, "Nothing is served here but shared links")


def test_a_well_formed_token_nobody_issued_is_404(link: Link) -> None:
    response = link.share.get("/s/" + "A" * 43 + "/", follow_redirects=False)
    assert_our_page(response, 404, "does not exist, or its owner has revoked it")
    # The real one, one letter changed, is no link either.
    other = ("B" if link.token[0] != "B" else "C") + link.token[1:]
    assert_our_page(link.share.get(f"/s/{other}/"), 404, "does not exist")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_only_get_and_head_are_answered(link: Link, method: str) -> None:
    response = link.share.request(method, f"/s/{link.token}/index.html", content=b"x")
    assert_our_page(response, 405, "read-only")
    assert response.headers["allow"] == "GET, HEAD"
    assert link.get("index.html").text == SITE["index.html"]  # unchanged


def test_the_ide_api_is_not_reachable_from_the_share_origin(link: Link) -> None:
    response = link.share.get(f"/api/projects/{link.project_id}/files")
    assert_our_page(response, 404, "Nothing is served here")
    files = link.api.files(link.project_id)
    assert set(files) == {*SITE, "logo.png"}
