"""What a mirror request may name, and which media type an Accept header gets."""

from __future__ import annotations

import pytest

from server.errors import ApiError
from server.mirror import names
from server.mirror.negotiate import choose

NPM_OK = ["react", "@types/node", "JSONStream", "lodash.merge", "a", "~tilde", "@a/b-c_d"]
NPM_BAD = ["", ".", "..", ".bin", "_x", "a/b", "@scope", "@/x", "@s/", "@s/a/b", "a b",
           "a\x00", "é", "a" * 215, "@s/..", "../x", "a?b", "a#b", "a%2fb"]  # fmt: skip


@pytest.mark.parametrize("name", NPM_OK)
def test_npm_names_npm_allows(name: str) -> None:
    assert names.npm_name(name) == name


@pytest.mark.parametrize("name", NPM_BAD)
def test_npm_names_refused(name: str) -> None:
    with pytest.raises(ApiError) as refused:
        names.npm_name(name)
    assert refused.value.status == 400 and refused.value.code == "invalid_name"


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("react-18.2.0.tgz", True), ("node-20.1.0-beta+b.tgz", True), ("..tgz", False),
     ("a..b.tgz", False), ("x.tar", False), (".x.tgz", False), ("a/b.tgz", False),
     ("a" * 252 + ".tgz", False)],
)  # fmt: skip
def test_tarball_names(raw: str, ok: bool) -> None:
    assert names.is_tarball_name(raw) is ok


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("six", "six"), ("Django", "django"), ("zope.interface", "zope-interface"),
     ("typing__Extensions", "typing-extensions"), ("A-_.b", "a-b")],
)  # fmt: skip
def test_pypi_names_normalise(raw: str, normal: str) -> None:
    assert names.pypi_normalize(names.pypi_project(raw)) == normal


@pytest.mark.parametrize("raw", ["", "-six", "six-", "a/b", "..", "a\x00", "a" * 201, "é"])
def test_pypi_names_refused(raw: str) -> None:
    with pytest.raises(ApiError):
        names.pypi_project(raw)


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("six-1.16.0-py2.py3-none-any.whl", True), ("numpy-2.0.tar.gz", True),
     ("x-1.zip", True), ("x-1.exe", False), ("../x.whl", False), ("x..whl", False),
     (".x-1.whl", False), ("x-1.whl/", False)],
)  # fmt: skip
def test_pypi_file_names(raw: str, ok: bool) -> None:
    assert names.is_pypi_filename(raw) is ok


NPM = ["application/json", "application/vnd.npm.install-v1+json"]
PYPI = ["text/html", "application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.v1+json"]


@pytest.mark.parametrize(
    ("accept", "offers", "chosen"),
    [
        (None, NPM, "application/json"),
        ("*/*", NPM, "application/json"),
        ("application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*", NPM,
         "application/vnd.npm.install-v1+json"),
        ("application/json", NPM, "application/json"),
        (None, PYPI, "text/html"),
        ("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, "
         "text/html; q=0.01", PYPI, "application/vnd.pypi.simple.v1+json"),
        ("text/*", PYPI, "text/html"),
        ("application/*;q=0.5, text/html;q=0.1", PYPI, "application/vnd.pypi.simple.v1+html"),
        ("image/png", PYPI, None),
        ("text/html;q=0, */*;q=0", PYPI, None),
        ("text/html;q=bogus, application/vnd.pypi.simple.v1+json", PYPI,
         "application/vnd.pypi.simple.v1+json"),
    ],
)  # fmt: skip
def test_negotiation(accept: str | None, offers: list[str], chosen: str | None) -> None:
    assert choose(accept, offers) == chosen
