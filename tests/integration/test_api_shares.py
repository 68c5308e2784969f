"""Share links: the owner's API (create, list, update to latest, revoke), the public read
API used by embeds, and the share origin that serves /s/<token>/ (server/share_site.py).

The share origin is reached here by its host name (Settings.share_host), as a deployment
behind a proxy reaches it; tests/e2e/test_share.py covers the separate port in Chromium.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.support.api import TEST_HOSTS, Api, api_clients, tiny_dist

SHARE = "http://share.test"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


class Site(NamedTuple):
    """An owner's project with a small site in it, and the clients that reach it."""

    new_api: Callable[[], Api]  # signed-out clients of the IDE origin
    share: TestClient  # a client of the share origin
    api: Api  # the owner, signed in
    pid: str


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[Site]:
    settings = Settings(
        dist_dir=tiny_dist(tmp_path / "dist"), share_host="share.test", allowed_hosts=TEST_HOSTS
    )
    app = create_app(settings, database_url=database_url)
    with api_clients(app) as new_api, TestClient(app, base_url=SHARE) as share:
        api, pid = owner_with_site(new_api)
        yield Site(new_api, share, api, pid)


def owner_with_site(new_api: Callable[[], Api]) -> tuple[Api, str]:
    api = new_api()
    api.signup()
    pid = api.new_project("site")["id"]
    ops = [
        {
            "op": "put",
            "path": "index.html",
            "base_version": None,
            "content": "<h1>v1</h1><script src=app.js></script>",
        },
        {"op": "put", "path": "app.js", "base_version": None, "content": "console.log(1)"},
        {"op": "put", "path": "docs/index.html", "base_version": None, "content": "docs"},
        {"op": "put", "path": "public/index.html", "base_version": None, "content": "public root"},
        {"op": "put", "path": "logo.png", "base_version": None, "content_ref": "p", "binary": True},
    ]
    import json

    response = api.post(
        f"/api/projects/{pid}/sync",
        data={"ops": json.dumps({"ops": ops})},
        files={"p": ("p", PNG, "application/octet-stream")},
    )
    assert response.status_code == 200, response.text
    return api, pid


def create(api: Api, pid: str, **body: Any) -> dict[str, Any]:
    response = api.post(f"/api/projects/{pid}/shares", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_share_serves_the_saved_files_with_types_and_headers(site: Site) -> None:
    _new_api, share, api, pid = site
    link = create(api, pid)
    token = link["token"]
    assert len(token) >= 43 and link["url"].endswith(f"/s/{token}/") and link["current"]
    page = share.get(f"/s/{token}/")
    assert page.status_code == 200 and page.text.startswith("<h1>v1</h1>")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    assert "frame-ancestors *" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in page.headers
    assert share.get(f"/s/{token}/app.js").headers["content-type"].startswith("text/javascript")
    png = share.get(f"/s/{token}/logo.png")
    assert png.content == PNG and png.headers["content-type"] == "image/png"
    # Folders: index.html, and a redirect to the slash so relative links resolve.
    assert share.get(f"/s/{token}/docs/").text == "docs"
    moved = share.get(f"/s/{token}/docs", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "docs/"
    bare = share.get(f"/s/{token}", follow_redirects=False)
    assert bare.status_code == 308 and bare.headers["location"] == f"/s/{token}/"
    assert share.get(f"/s/{token}/missing.html").status_code == 404
    assert share.get(f"/s/{token}/../x").status_code == 404
    assert share.post(f"/s/{token}/").status_code == 405
    etag = page.headers["etag"]
    assert share.get(f"/s/{token}/", headers={"if-none-match": etag}).status_code == 304
    # The share origin serves nothing of the IDE: no API, no pages.
    assert share.get("/api/health").status_code == 404
    assert share.get("/").status_code == 404


def test_snapshot_stays_until_updated_to_latest(site: Site) -> None:
    _new_api, share, api, pid = site
    link = create(api, pid)
    version = api.files(pid)["index.html"]["version"]
    api.sync(
        pid,
        [{"op": "put", "path": "index.html", "base_version": version, "content": "<h1>v2</h1>"}],
    )
    assert share.get(f"/s/{link['token']}/").text.startswith("<h1>v1</h1>")
    listed = api.get(f"/api/projects/{pid}/shares").json()["shares"]
    assert [s["token"] for s in listed] == [link["token"]] and listed[0]["current"] is False
    updated = api.post(f"/api/projects/{pid}/shares/{link['token']}/publish")
    assert updated.status_code == 200 and updated.json()["current"] is True
    assert updated.json()["revision"] > link["revision"]
    assert share.get(f"/s/{link['token']}/").text == "<h1>v2</h1>"


def test_revoke_is_immediate(site: Site) -> None:
    _new_api, share, api, pid = site
    link = create(api, pid)
    assert share.get(f"/s/{link['token']}/").status_code == 200
    assert api.delete(f"/api/projects/{pid}/shares/{link['token']}").status_code == 204
    assert share.get(f"/s/{link['token']}/").status_code == 404
    assert api.get(f"/api/shares/{link['token']}").status_code == 404
    assert api.get(f"/api/projects/{pid}/shares").json()["shares"] == []
    assert api.delete(f"/api/projects/{pid}/shares/{link['token']}").status_code == 404


def test_a_link_is_updated_or_revoked_only_through_its_own_project(site: Site) -> None:
    _new_api, share, api, pid = site
    link = create(api, pid)
    other = api.new_project("other")["id"]  # the owner's too
    for response in (
        api.post(f"/api/projects/{other}/shares/{link['token']}/publish"),
        api.delete(f"/api/projects/{other}/shares/{link['token']}"),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["error"]["message"] == "No such share link."
    listed = api.get(f"/api/projects/{pid}/shares").json()["shares"]
    assert [(s["token"], s["revision"]) for s in listed] == [(link["token"], link["revision"])]
    assert share.get(f"/s/{link['token']}/").status_code == 200
    # Revoked, the token cannot be published again either.
    assert api.delete(f"/api/projects/{pid}/shares/{link['token']}").status_code == 204
    again = api.post(f"/api/projects/{pid}/shares/{link['token']}/publish")
    assert again.status_code == 404 and again.json()["error"]["code"] == "not_found"
    assert api.get(f"/api/projects/{pid}/shares").json()["shares"] == []


def test_a_folder_as_the_site_root(site: Site) -> None:
    _new_api, share, api, pid = site
    link = create(api, pid, root="public/")
    assert link["root"] == "public"
    assert share.get(f"/s/{link['token']}/").text == "public root"
    assert share.get(f"/s/{link['token']}/app.js").status_code == 404  # outside the root
    files = api.get(f"/api/shares/{link['token']}").json()["files"]
    assert [f["path"] for f in files] == ["index.html"]
    refused = api.post(f"/api/projects/{pid}/shares", json={"root": "nowhere"})
    assert refused.status_code == 422 and refused.json()["error"]["details"]["field"] == "root"


def test_only_the_owner_creates_lists_updates_and_revokes(site: Site) -> None:
    new_api, share, api, pid = site
    link = create(api, pid)
    stranger = new_api()
    stranger.signup()
    assert stranger.post(f"/api/projects/{pid}/shares", json={}).status_code == 404
    assert stranger.get(f"/api/projects/{pid}/shares").status_code == 404
    assert stranger.post(f"/api/projects/{pid}/shares/{link['token']}/publish").status_code == 404
    assert stranger.delete(f"/api/projects/{pid}/shares/{link['token']}").status_code == 404
    # The stranger's own project cannot reach this link either.
    own = stranger.new_project("mine")["id"]
    assert stranger.delete(f"/api/projects/{own}/shares/{link['token']}").status_code == 404
    anonymous = new_api()
    assert anonymous.post(f"/api/projects/{pid}/shares", json={}).status_code == 401
    assert anonymous.delete(f"/api/projects/{pid}/shares/{link['token']}").status_code == 401
    # Still served: nobody but the owner could revoke it.
    assert share.get(f"/s/{link['token']}/").status_code == 200


def test_public_files_for_embeds(site: Site) -> None:
    new_api, _share, api, pid = site
    link = create(api, pid)
    anonymous = new_api()
    body = anonymous.get(f"/api/shares/{link['token']}").json()
    by_path = {f["path"]: f for f in body["files"]}
    assert by_path["app.js"]["content"] == "console.log(1)"
    assert by_path["logo.png"]["binary"] and "content" not in by_path["logo.png"]
    sha = hashlib.sha256(PNG).hexdigest()
    assert anonymous.get(f"/api/shares/{link['token']}/blobs/{sha}").content == PNG
    other = hashlib.sha256(b"not in it").hexdigest()
    assert anonymous.get(f"/api/shares/{link['token']}/blobs/{other}").status_code == 404
    assert anonymous.get("/api/shares/" + "x" * 43).status_code == 404


def test_deleting_the_project_ends_its_links(site: Site) -> None:
    _new_api, share, api, pid = site
    link = create(api, pid)
    assert api.delete(f"/api/projects/{pid}").status_code == 204
    assert share.get(f"/s/{link['token']}/").status_code == 404
