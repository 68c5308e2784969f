"""Kept metadata documents of the package mirror, one row per (ecosystem, name, form): the
body as served and the sources of its files, both zlib-compressed by the caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from psycopg import AsyncConnection


@dataclass(frozen=True)
class MetaRow:
    form: str
    origin: str  # 'upstream' or 'seed'
    body: bytes  # compressed
    sources: bytes  # compressed
    etag: str | None
    age_s: float  # seconds since it was fetched (or seeded)


async def rows(conn: AsyncConnection, ecosystem: str, name: str) -> dict[str, MetaRow]:
    """Every kept form of one package's metadata."""
    cursor = await conn.execute(
        """SELECT form, origin, body, sources, etag,
                  extract(epoch FROM now() - fetched_at)::float8
             FROM mirror_meta WHERE ecosystem = %s AND name = %s""",
        (ecosystem, name),
        binary=True,
    )
    return {row[0]: MetaRow(*row) for row in await cursor.fetchall()}


async def sources(conn: AsyncConnection, ecosystem: str, name: str) -> list[bytes]:
    """The compressed sources maps of every kept form (without the larger bodies)."""
    cursor = await conn.execute(
        "SELECT sources FROM mirror_meta WHERE ecosystem = %s AND name = %s ORDER BY form",
        (ecosystem, name),
        binary=True,
    )
    return [row[0] for row in await cursor.fetchall()]


async def put(conn: AsyncConnection, ecosystem: str, name: str, row: MetaRow) -> None:
    """Keep a form (row.age_s is ignored: it is fetched now)."""
    await conn.execute(
        """INSERT INTO mirror_meta (ecosystem, name, form, origin, body, sources, etag)
           VALUES (%s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (ecosystem, name, form) DO UPDATE SET
               origin = EXCLUDED.origin, body = EXCLUDED.body, sources = EXCLUDED.sources,
               etag = EXCLUDED.etag, fetched_at = now()""",
        (ecosystem, name, row.form, row.origin, row.body, row.sources, row.etag),
    )


async def replace(conn: AsyncConnection, ecosystem: str, name: str, row: MetaRow) -> None:
    """A kept form's body and sources changed by us (a seed merged in): as fresh as it was."""
    await conn.execute(
        "UPDATE mirror_meta SET body = %s, sources = %s "
        "WHERE ecosystem = %s AND name = %s AND form = %s",
        (row.body, row.sources, ecosystem, name, row.form),
    )


async def touch(conn: AsyncConnection, ecosystem: str, name: str, form: str) -> None:
    """The upstream says the kept copy is current (304): fresh again."""
    await conn.execute(
        "UPDATE mirror_meta SET fetched_at = now() WHERE ecosystem = %s AND name = %s "
        "AND form = %s",
        (ecosystem, name, form),
    )


async def names(conn: AsyncConnection, ecosystem: str) -> list[str]:
    cursor = await conn.execute(
        "SELECT DISTINCT name FROM mirror_meta WHERE ecosystem = %s ORDER BY name", (ecosystem,)
    )
    return [row[0] for row in await cursor.fetchall()]


async def stats(conn: AsyncConnection) -> list[tuple[str, str, int, int, int]]:
    """(ecosystem, origin, packages, documents, stored bytes) per ecosystem and origin."""
    cursor = await conn.execute(
        """SELECT ecosystem, origin, count(DISTINCT name), count(*),
                  coalesce(sum(length(body) + length(sources)), 0)::bigint
             FROM mirror_meta GROUP BY ecosystem, origin ORDER BY ecosystem, origin"""
    )
    return [(e, o, int(p), int(d), int(b)) for e, o, p, d, b in await cursor.fetchall()]


async def forget_older(conn: AsyncConnection, age: timedelta) -> int:
    """Drop upstream metadata not fetched for `age` (seeded documents stay)."""
    cursor = await conn.execute(
        "DELETE FROM mirror_meta WHERE origin = 'upstream' AND fetched_at < now() - %s", (age,)
    )
    return cursor.rowcount
