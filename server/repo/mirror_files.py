"""Files the package mirror keeps: content-addressed blobs (sha256 of the bytes) stored in
1 MiB chunks, and the names clients ask for them by.

Storing and pruning race like project blobs do (server/repo/blobs.py): `store` holds FOR
KEY SHARE on a blob it refers to until its transaction ends, and `prune_orphans` locks its
candidates FOR UPDATE before deleting them in a new statement that sees those references.
A fetch from the upstream is serialised across processes by an advisory lock on the file's
key, held on a connection of its own for as long as the download takes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import psycopg
from psycopg import AsyncConnection

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class KeptFile:
    sha256: bytes
    size: int
    chunks: int


async def find(conn: AsyncConnection, ecosystem: str, package: str, name: str) -> KeptFile | None:
    """The kept file of that name, marked used (at most once an hour, to spare writes)."""
    cursor = await conn.execute(
        """WITH used AS (
               UPDATE mirror_files SET used_at = now()
                WHERE ecosystem = %(e)s AND package = %(p)s AND filename = %(f)s
                  AND used_at < now() - interval '1 hour')
           SELECT f.sha256, b.size, b.chunks
             FROM mirror_files f JOIN mirror_blobs b USING (sha256)
            WHERE f.ecosystem = %(e)s AND f.package = %(p)s AND f.filename = %(f)s""",
        {"e": ecosystem, "p": package, "f": name},
        binary=True,
    )
    found = await cursor.fetchone()
    return KeptFile(bytes(found[0]), int(found[1]), int(found[2])) if found else None


async def read_chunk(conn: AsyncConnection, sha256: bytes, seq: int) -> bytes:
    cursor = await conn.execute(
        "SELECT data FROM mirror_chunks WHERE sha256 = %s AND seq = %s", (sha256, seq), binary=True
    )
    row = await cursor.fetchone()
    if row is None:
        raise LookupError(f"chunk {seq} of {sha256.hex()} is missing")
    return bytes(row[0])


async def store(
    conn: AsyncConnection,
    ecosystem: str,
    package: str,
    name: str,
    sha256: bytes,
    size: int,
    blocks: Iterable[bytes],
) -> KeptFile:
    """Keep checked bytes under that name, in one transaction (the bytes once per content)."""
    chunks = -(-size // CHUNK_BYTES)
    async with conn.transaction():
        while True:
            cursor = await conn.execute(
                "INSERT INTO mirror_blobs (sha256, size, chunks) VALUES (%s, %s, %s) "
                "ON CONFLICT (sha256) DO NOTHING RETURNING sha256",
                (sha256, size, chunks),
            )
            if await cursor.fetchone() is not None:
                for seq, block in enumerate(blocks):
                    await conn.execute(
                        "INSERT INTO mirror_chunks (sha256, seq, data) VALUES (%s, %s, %s)",
                        (sha256, seq, block),
                    )
                break
            # Kept already (another name, or another process): hold it against a prune.
            cursor = await conn.execute(
                "SELECT 1 FROM mirror_blobs WHERE sha256 = %s FOR KEY SHARE", (sha256,)
            )
            if await cursor.fetchone() is not None:
                break
        await conn.execute(
            """INSERT INTO mirror_files (ecosystem, package, filename, sha256, size)
               VALUES (%s, %s, %s, %s, %s)
               ON CONFLICT (ecosystem, package, filename) DO UPDATE SET
                   sha256 = EXCLUDED.sha256, size = EXCLUDED.size,
                   kept_at = now(), used_at = now()""",
            (ecosystem, package, name, sha256, size),
        )
    return KeptFile(sha256, size, chunks)


@asynccontextmanager
async def fetch_lock(database_url: str, key: str) -> AsyncIterator[None]:
    """Hold PostgreSQL's advisory lock for `key` (one fetch per file across processes)."""
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        lock_key = f"cospai-mirror:{key}"
        await conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (lock_key,))
        try:
            yield
        finally:
            await conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (lock_key,))


async def stats(conn: AsyncConnection) -> list[tuple[str, int, int]]:
    """(ecosystem, files, bytes of those files) per ecosystem."""
    cursor = await conn.execute(
        "SELECT ecosystem, count(*), coalesce(sum(size), 0)::bigint FROM mirror_files "
        "GROUP BY ecosystem ORDER BY ecosystem"
    )
    return [(e, int(n), int(b)) for e, n, b in await cursor.fetchall()]


async def blob_stats(conn: AsyncConnection) -> tuple[int, int]:
    """(distinct contents, their bytes): what the files really take."""
    cursor = await conn.execute("SELECT count(*), coalesce(sum(size), 0)::bigint FROM mirror_blobs")
    row = await cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


async def forget_unused(conn: AsyncConnection, age: timedelta) -> int:
    """Drop the names of files nobody asked for in `age` (their bytes become orphans)."""
    cursor = await conn.execute("DELETE FROM mirror_files WHERE used_at < now() - %s", (age,))
    return cursor.rowcount


async def prune_orphans(conn: AsyncConnection) -> tuple[int, int]:
    """Delete the contents no file name refers to; return (how many, their bytes)."""
    async with conn.transaction():
        cursor = await conn.execute(
            """SELECT sha256 FROM mirror_blobs b
                WHERE NOT EXISTS (SELECT 1 FROM mirror_files f WHERE f.sha256 = b.sha256)
                ORDER BY sha256 FOR UPDATE SKIP LOCKED"""
        )
        candidates = [row[0] for row in await cursor.fetchall()]
        if not candidates:
            return 0, 0
        cursor = await conn.execute(
            """DELETE FROM mirror_blobs b WHERE b.sha256 = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM mirror_files f WHERE f.sha256 = b.sha256)
               RETURNING size""",
            (candidates,),
        )
        sizes = [int(row[0]) for row in await cursor.fetchall()]
    return len(sizes), sum(sizes)
