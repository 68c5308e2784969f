"""What a mirror request may name: npm package and tarball names, PyPI project and file
names. Anything else (a path segment such as `..`, a NUL, a name past npm's or PyPI's
length, a character neither allows) is refused with 400 before any storage or upstream
is asked, so a name can never become a path or a URL we did not mean."""

from __future__ import annotations

import re

from server.errors import ApiError

NPM_NAME_MAX = 214  # npm's own limit
FILENAME_MAX = 255
PYPI_NAME_MAX = 200
# npm allows URL-safe characters; old packages may have capitals. No leading dot or
# underscore (npm's rule), so `.`, `..` and hidden names are out. The OpenAPI document
# states these same patterns (server/openapi.py).
NPM_PART = r"[A-Za-z0-9~-][A-Za-z0-9._~-]*"
NPM_NAME = rf"(@{NPM_PART}/)?{NPM_PART}"
TARBALL = r"[A-Za-z0-9~-][A-Za-z0-9._+~-]*\.tgz"
PYPI_NAME = r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?"  # PEP 508's, case-insensitive
PYPI_FILE = r"[A-Za-z0-9][A-Za-z0-9._+!~-]*\.(whl|tar\.gz|zip|tar\.bz2|tar\.xz|tgz|egg)"
_NPM_NAME = re.compile(NPM_NAME)
_TARBALL = re.compile(TARBALL)
_PYPI_NAME = re.compile(PYPI_NAME)
_PYPI_FILE = re.compile(PYPI_FILE)
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,127}")


def _checked(raw: str, ok: bool, code: str, what: str) -> str:
    """`raw` when `ok`; else 400 with `code`, naming the value (escaped, shortened)."""
    if ok:
        return raw
    shown = raw[:80].encode("unicode_escape").decode("ascii")
    raise ApiError(400, code, f"{what} {shown!r} is not a valid name.", {"file": shown})


def npm_name(raw: str) -> str:
    """A package name, `name` or `@scope/name`, as npm allows it."""
    ok = len(raw) <= NPM_NAME_MAX and _NPM_NAME.fullmatch(raw) is not None
    return _checked(raw, ok, "invalid_name", "The npm package name")


def is_tarball_name(raw: str) -> bool:
    return len(raw) <= FILENAME_MAX and _TARBALL.fullmatch(raw) is not None and ".." not in raw


def npm_tarball(raw: str) -> str:
    return _checked(raw, is_tarball_name(raw), "invalid_filename", "The tarball name")


def pypi_project(raw: str) -> str:
    ok = len(raw) <= PYPI_NAME_MAX and _PYPI_NAME.fullmatch(raw) is not None
    return _checked(raw, ok, "invalid_name", "The project name")


def pypi_normalize(name: str) -> str:
    """PEP 503's normalised form: lower case, runs of -_. as one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def is_pypi_filename(raw: str) -> bool:
    return len(raw) <= FILENAME_MAX and _PYPI_FILE.fullmatch(raw) is not None and ".." not in raw


def pypi_filename(raw: str) -> str:
    return _checked(raw, is_pypi_filename(raw), "invalid_filename", "The file name")


def is_version(raw: str) -> bool:
    return VERSION.fullmatch(raw) is not None and ".." not in raw
