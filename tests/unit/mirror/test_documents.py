"""npm packuments and PyPI pages as kept and served: links pointed at the mirror, sources
kept for the upstream, the abbreviated form, merging seeds, both PyPI formats."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from server.mirror import npm_docs, pypi_docs
from server.mirror.documents import MARK, fill
from server.mirror.integrity import Expected

BASE = "https://ide.example/api/mirror"
SHA = hashlib.sha256(b"x").hexdigest()


def packument() -> dict[str, Any]:
    version = {
        "name": "@s/pkg",
        "version": "1.0.0",
        "scripts": {"postinstall": "node x", "test": "t"},
        "readme": "long",
        "dependencies": {"a": "^1"},
        "dist": {"tarball": "../files/pkg-1.0.0.tgz", "shasum": hashlib.sha1(b"x").hexdigest()},  # noqa: S324
    }
    return {
        "name": "@s/pkg",
        "dist-tags": {"latest": "1.0.0"},
        "time": {"modified": "2026-01-01T00:00:00Z", "1.0.0": "2026-01-01T00:00:00Z"},
        "versions": {
            "1.0.0": version,
            "2.0.0": {"name": "@s/pkg", "version": "2.0.0"},  # no dist: dropped
            "../evil": {"dist": {"tarball": "x"}},  # not a version: dropped
        },
    }


def test_npm_tarballs_point_at_the_mirror() -> None:
    prepared = npm_docs.prepare(packument(), "@s/pkg", "https://up.example/reg/@s%2fpkg")
    served = msgspec.json.decode(fill(prepared.body, BASE))
    assert list(served["versions"]) == ["1.0.0"]
    assert served["versions"]["1.0.0"]["dist"]["tarball"] == f"{BASE}/npm/@s/pkg/-/pkg-1.0.0.tgz"
    source = prepared.sources["pkg-1.0.0.tgz"]
    assert source["url"] == "https://up.example/files/pkg-1.0.0.tgz"
    assert set(source["hashes"]) == {"sha1"}
    assert b"\\u0000mirror\\u0000" in prepared.body  # one kept copy for every host name


def test_npm_abbreviated_form() -> None:
    short = npm_docs.abbreviate(packument())
    assert short["modified"] == "2026-01-01T00:00:00Z"
    manifest = short["versions"]["1.0.0"]
    assert manifest["hasInstallScript"] is True
    assert "readme" not in manifest and "scripts" not in manifest
    assert manifest["dependencies"] == {"a": "^1"}


def test_npm_refuses_another_package_document() -> None:
    try:
        npm_docs.prepare(packument(), "other", "https://up.example/")
    except ValueError as error:
        assert "not 'other'" in str(error)
    else:
        raise AssertionError("a document for another package was taken")


def test_npm_seed_document_and_merge() -> None:
    expected = Expected({"sha512": hashlib.sha512(b"x").hexdigest(), "sha1": "ab" * 20}, 1)
    manifest = {"name": "pkg", "version": "1.2.0", "readme": "r", "description": "d"}
    version = npm_docs.seed_version(manifest, "pkg-1.2.0.tgz", expected)
    assert version["dist"]["tarball"] == f"{MARK}/npm/pkg/-/pkg-1.2.0.tgz"
    assert version["dist"]["integrity"].startswith("sha512-") and "readme" not in version
    doc = npm_docs.seed_document("pkg", {"1.2.0": version}, None)
    beta = {**version, "version": "2.0.0-beta.1"}
    doc = npm_docs.seed_document("pkg", {"2.0.0-beta.1": beta}, doc)
    assert doc["dist-tags"]["latest"] == "1.2.0" and doc["description"] == "d"
    upstream: dict[str, Any] = {"name": "pkg", "dist-tags": {"latest": "1.0.0"}}
    upstream["versions"] = {"1.0.0": {}}
    npm_docs.merge(upstream, doc)
    assert set(upstream["versions"]) == {"1.0.0", "1.2.0", "2.0.0-beta.1"}
    assert upstream["dist-tags"]["latest"] == "1.0.0"  # the upstream's word stands


def test_newest_release() -> None:
    assert npm_docs.newest(["1.2.3", "1.10.0", "2.0.0-rc.1", "junk"]) == "1.10.0"
    assert npm_docs.newest(["2.0.0-rc.1"]) == "2.0.0-rc.1"
    assert npm_docs.newest(["junk"]) is None


HTML = f"""<!DOCTYPE html><html><body>
<a href="../../packages/six-1.0-py2.py3-none-any.whl#sha256={SHA}"
   data-requires-python="&gt;=3.8" data-yanked="">six-1.0-py2.py3-none-any.whl</a>
<a href="https://files.example/six-1.0.tar.gz#md5=00">six-1.0.tar.gz</a>
<a href="/evil">../../etc/passwd</a>
</body></html>"""


def test_pypi_html_page_parsed_and_served_both_ways() -> None:
    files = pypi_docs.parse(HTML.encode(), "text/html", "https://up.example/simple/six/")
    assert [f.filename for f in files] == ["six-1.0-py2.py3-none-any.whl", "six-1.0.tar.gz"]
    wheel, sdist = files
    assert wheel.url == "https://up.example/packages/six-1.0-py2.py3-none-any.whl"
    assert wheel.expected.hashes == {"sha256": SHA}
    assert wheel.extra == {"requires-python": ">=3.8", "yanked": True}
    assert sdist.expected.hashes == {}  # md5 is not taken
    prepared = pypi_docs.prepare("six", files)
    doc = msgspec.json.decode(fill(prepared.body, BASE))
    assert doc["meta"]["api-version"] == "1.0"  # sizes unknown
    assert doc["versions"] == ["1.0"]
    assert doc["files"][0]["url"] == f"{BASE}/pypi/files/six/six-1.0-py2.py3-none-any.whl"
    html = pypi_docs.render_html(prepared.body, BASE)
    assert f"six-1.0-py2.py3-none-any.whl#sha256={SHA}" in html
    assert 'data-requires-python="&gt;=3.8"' in html and 'data-yanked=""' in html
    assert MARK not in html


def test_pypi_json_page_and_merge_with_seed() -> None:
    page = {"files": [{"filename": "a-1.0-py3-none-any.whl", "url": "/f/a.whl",
                       "hashes": {"sha256": SHA}, "size": 1, "yanked": "bad"}]}  # fmt: skip
    files = pypi_docs.parse(
        msgspec.json.encode(page), "application/vnd.pypi.simple.v1+json", "https://up.example/s/a/"
    )
    prepared = pypi_docs.prepare("a", files)
    assert msgspec.json.decode(prepared.body)["meta"]["api-version"] == "1.1"
    seeded = pypi_docs.seed_page("a", {"a-2.0.tar.gz": (Expected({"sha256": SHA}, 3), {})}, None)
    merged = pypi_docs.merge(prepared, seeded)
    doc = msgspec.json.decode(merged.body)
    assert [f["filename"] for f in doc["files"]] == ["a-1.0-py3-none-any.whl", "a-2.0.tar.gz"]
    assert doc["versions"] == ["1.0", "2.0"]
    assert merged.sources["a-2.0.tar.gz"]["url"] is None
    assert merged.sources["a-1.0-py3-none-any.whl"]["url"] == "https://up.example/f/a.whl"


def test_pypi_root_both_ways() -> None:
    assert b'<a href="six/">six</a>' in pypi_docs.render_root(["six"], as_json=False)
    assert msgspec.json.decode(pypi_docs.render_root(["six"], as_json=True))["projects"] == [
        {"name": "six"}
    ]
