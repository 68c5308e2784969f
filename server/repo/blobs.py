"""Content-addressed blobs: stored once whatever the number of files and revisions using
them; removed when the last of those goes.

Storing and collecting race: one request saves content that another, deleting a project,
sees unreferenced. Both sides take row locks on the blobs, always in sha256 order (no
deadlock), so that they serialise: `store` holds FOR KEY SHARE on every blob it will
reference until its transaction ends (re-inserting any a collector removed meanwhile), and
`collect` first locks its candidates FOR UPDATE, which waits for those holders, then
deletes in a new statement, whose snapshot sees the references they committed.
"""

from __future__ import annotations

from collections.abc import Iterable

from psycopg import AsyncConnection

from server.blobs import Blob, unpack


async def store(conn: AsyncConnection, items: Iterable[Blob]) -> None:
    """Make sure these blobs exist and stay until the caller's transaction ends (call in a
    transaction, before inserting the rows that refer to them)."""
    wanted = {b.sha256: b for b in items}
    while wanted:
        rows = [(b.sha256, b.size, b.compressed, b.data) for _sha, b in sorted(wanted.items())]
        async with conn.cursor() as cursor:
            await cursor.executemany(
                "INSERT INTO blobs (sha256, size, compressed, data) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (sha256) DO NOTHING",
                rows,
            )
        # Waits for a collector that locked one of them; a blob it then deleted is not
        # returned, and goes round again.
        cursor = await conn.execute(
            "SELECT sha256 FROM blobs WHERE sha256 = ANY(%s) ORDER BY sha256 FOR KEY SHARE",
            (list(wanted),),
        )
        for (sha,) in await cursor.fetchall():
            wanted.pop(bytes(sha), None)


async def read(conn: AsyncConnection, shas: list[bytes]) -> dict[bytes, bytes]:
    if not shas:
        return {}
    cursor = await conn.execute(
        "SELECT sha256, compressed, data FROM blobs WHERE sha256 = ANY(%s)", (shas,)
    )
    return {sha: unpack(data, compressed) for sha, compressed, data in await cursor.fetchall()}


async def read_one(conn: AsyncConnection, sha: bytes) -> bytes:
    """The content of a blob a file or revision refers to (so it exists)."""
    return (await read(conn, [sha]))[sha]


async def collect(conn: AsyncConnection, candidates: list[bytes]) -> int:
    """Delete those candidates no file or revision refers to any more (in a transaction)."""
    if not candidates:
        return 0
    # Waits for every transaction that is storing a reference to one of them (store).
    cursor = await conn.execute(
        "SELECT sha256 FROM blobs WHERE sha256 = ANY(%s) ORDER BY sha256 FOR UPDATE",
        (candidates,),
    )
    locked = [row[0] for row in await cursor.fetchall()]
    if not locked:
        return 0
    cursor = await conn.execute(
        """DELETE FROM blobs b WHERE b.sha256 = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM files f WHERE f.sha256 = b.sha256)
             AND NOT EXISTS (SELECT 1 FROM revision_files r WHERE r.sha256 = b.sha256)""",
        (locked,),
    )
    return cursor.rowcount
