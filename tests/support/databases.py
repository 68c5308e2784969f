"""Throwaway PostgreSQL databases on a real server (DATABASE_URL's, or an embedded one), and
the few queries tests run against them directly."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo


@contextmanager
def admin_url() -> Iterator[str]:
    """A URL with rights to create databases, for the whole session."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    from server.embedded_pg import EmbeddedPostgres

    # pgserver (as root) runs postgres as another user, which must traverse the parents.
    folder = Path(tempfile.mkdtemp(prefix="cospai-test-pg-"))
    folder.chmod(0o755)
    try:
        with EmbeddedPostgres(folder) as server:
            yield server.url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def url_for(base_url: str, dbname: str) -> str:
    params = conninfo_to_dict(base_url)
    params["dbname"] = dbname
    return make_conninfo("", **params)


@contextmanager
def fresh_database(base_url: str) -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    name = f"cospai_t_{secrets.token_hex(6)}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url_for(base_url, name)
    finally:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows a statement gives (none for a statement that gives no rows)."""
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def scalar(url: str, sql: str, params: tuple[object, ...] = ()) -> Any:
    """The first column of the first row, which must be there."""
    rows = query(url, sql, params)
    assert rows, f"no row from {sql}"
    return rows[0][0]


def execute(url: str, sql: str, params: tuple[object, ...] = ()) -> None:
    query(url, sql, params)
