"""Content-addressed blobs: stored once whatever the number of files and revisions using
them; removed when the last of those goes."""

from __future__ import annotations

from collections.abc import Iterable

from psycopg import AsyncConnection

from server.blobs import Blob, unpack


async def store(conn: AsyncConnection, items: Iterable[Blob]) -> None:
    rows = [(b.sha256, b.size, b.compressed, b.data) for b in items]
    if not rows:
        return
    async with conn.cursor() as cursor:
        await cursor.executemany(
            "INSERT INTO blobs (sha256, size, compressed, data) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (sha256) DO NOTHING",
            rows,
        )


async def read(conn: AsyncConnection, shas: list[bytes]) -> dict[bytes, bytes]:
    if not shas:
        return {}
    cursor = await conn.execute(
        "SELECT sha256, compressed, data FROM blobs WHERE sha256 = ANY(%s)", (shas,)
    )
    return {sha: unpack(data, compressed) for sha, compressed, data in await cursor.fetchall()}


async def collect(conn: AsyncConnection, candidates: list[bytes]) -> int:
    """Delete those candidates no file or revision refers to any more."""
    if not candidates:
        return 0
    cursor = await conn.execute(
        """DELETE FROM blobs b WHERE b.sha256 = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM files f WHERE f.sha256 = b.sha256)
             AND NOT EXISTS (SELECT 1 FROM revision_files r WHERE r.sha256 = b.sha256)""",
        (candidates,),
    )
    return cursor.rowcount
