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


def _refuse(code: str, what: str, raw: str) -> ApiError:
    shown = raw[:80].encode("unicode_escape").decode("ascii")
    return ApiError(400, code, f"{what} {shown!r} is not a valid name.", {"file": shown})


def npm_name(raw: str) -> str:
    """A package name, `name` or `@scope/name`, as npm allows it."""
    if len(raw) <= NPM_NAME_MAX and _NPM_NAME.fullmatch(raw):
        return raw
    raise _refuse("invalid_name", "The npm package name", raw)


def is_tarball_name(raw: str) -> bool:
    return len(raw) <= FILENAME_MAX and _TARBALL.fullmatch(raw) is not None and ".." not in raw


def npm_tarball(raw: str) -> str:
    if is_tarball_name(raw):
        return raw
    raise _refuse("invalid_filename", "The tarball name", raw)


def pypi_project(raw: str) -> str:
    if len(raw) <= PYPI_NAME_MAX and _PYPI_NAME.fullmatch(raw):
        return raw
    raise _refuse("invalid_name", "The project name", raw)


def pypi_normalize(name: str) -> str:
    """PEP 503's normalised form: lower case, runs of -_. as one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def is_pypi_filename(raw: str) -> bool:
    return len(raw) <= FILENAME_MAX and _PYPI_FILE.fullmatch(raw) is not None and ".." not in raw


def pypi_filename(raw: str) -> str:
    if is_pypi_filename(raw):
        return raw
    raise _refuse("invalid_filename", "The file name", raw)


def is_version(raw: str) -> bool:
    return VERSION.fullmatch(raw) is not None and ".." not in raw
