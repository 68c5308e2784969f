"""What the account tests share: one database per module, a database of a test's own
(`fresh`), and reading the session cookie the server sets."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support import databases
from tests.support.api import Api, api_app

COOKIE = "cospai_session"
EVIL = "https://evil.example"
NewApi = Callable[[], Api]


@pytest.fixture(scope="module")
def database_url(pg_admin_url: str) -> Iterator[str]:
    """One database for most tests of a module (each signs up its own users, so they do
    not meet); it keeps `new_api` and `api` from creating a database per test."""
    with databases.fresh_database(pg_admin_url) as url:
        yield url


@dataclass(frozen=True)
class Fresh:
    url: str
    new_api: NewApi


@pytest.fixture
def fresh(pg_admin_url: str, tmp_path: Path) -> Iterator[Fresh]:
    """A database of the test's own, for tests that count rows across users or fail
    sign-ins (failures count per client address, and every TestClient has the same)."""
    with databases.fresh_database(pg_admin_url) as url, api_app(url, tmp_path) as factory:
        yield Fresh(url, factory)


def parse_set_cookie(header: str) -> tuple[str, str, dict[str, str]]:
    """'name=value; Attr; Key=Val' -> (name, value, {attr lowercased: value})."""
    first, *rest = (part.strip() for part in header.split(";"))
    name, value = first.split("=", 1)
    attrs = {}
    for part in rest:
        key, _, val = part.partition("=")
        attrs[key.lower()] = val
    return name, value, attrs


def session_cookie(response: Any) -> tuple[str, dict[str, str]]:
    headers = response.headers.get_list("set-cookie")
    assert len(headers) == 1, headers
    name, value, attrs = parse_set_cookie(headers[0])
    assert name == COOKIE
    return value, attrs


def token_of(api: Api) -> str:
    token = api.client.cookies.get(COOKIE)
    assert token, "no session cookie in the jar"
    return token


def with_cookie(new_api: NewApi, token: str) -> Api:
    """A fresh client (empty jar) that presents `token` as its session cookie."""
    other = new_api()
    other.client.cookies.set(COOKIE, token)
    return other


def session_status(api: Api) -> int:
    return api.client.get("/api/auth/session").status_code


def count(url: str, table: str) -> int:
    return int(databases.scalar(url, f"SELECT count(*) FROM {table}"))


def fresh_email(tag: str) -> str:
    return f"{tag}-{os.urandom(3).hex()}@example.com"
