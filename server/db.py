"""Connections to PostgreSQL: URL redaction, a reachability check, the async pool, and a
transaction that reads one moment."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import AsyncConnectionPool


class DatabaseUnavailable(Exception):
    """The configured database cannot be used; the message names the URL and the reason."""


def redact(url: str) -> str:
    """The URL with every password masked (userinfo and query), fit for logs and errors."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "<unparsable database URL>"
    if "password" not in params:
        return url
    if "://" in url:
        masked = re.sub(r"^([a-z0-9+.-]+://[^:/@?#]*):[^@/?#]*@", r"\1:***@", url, flags=re.I)
        return re.sub(r"([?&]password=)[^&#]*", r"\1***", masked, flags=re.I)
    params["password"] = "***"  # noqa: S105  (a mask, not a secret)
    return make_conninfo("", **params)


def check(url: str, timeout: int = 5) -> str:
    """Connect once; return the server version, or raise DatabaseUnavailable saying why."""
    try:
        conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise DatabaseUnavailable(f"bad database URL {redact(url)}: {error}") from error
    try:
        with psycopg.connect(url, connect_timeout=timeout, autocommit=True) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DatabaseUnavailable(f"cannot connect to {redact(url)}: {reason}") from error
    return str(row[0]) if row else "unknown"


def make_pool(url: str, min_size: int = 1, max_size: int = 10) -> AsyncConnectionPool:
    """An unopened pool; the app's lifespan opens and closes it."""
    return AsyncConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        open=False,
        kwargs={"autocommit": True},
        name="cospai",
    )


@asynccontextmanager
async def snapshot(conn: AsyncConnection) -> AsyncIterator[None]:
    """A transaction whose reads all see the database as of one moment (REPEATABLE READ):
    a project's file list and the contents it names agree, whatever commits meanwhile."""
    async with conn.transaction():
        await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield
