"""Share links: a token naming one revision of a project (and a folder in it) for anyone.

Owner-side queries take the project id the route already checked is the caller's; the
public side knows only the token, and sees only files under the share's root folder.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from psycopg import AsyncConnection

from server.repo import revisions as revision_repo
from server.repo.files import StoredFile

MESSAGE = "Published a share link"


@dataclass(frozen=True)
class Share:
    token: str
    root: str
    revision_number: int
    project_version: int
    created_at: datetime
    published_at: datetime


@dataclass(frozen=True)
class PublicFile:
    path: str  # relative to the share's root
    sha256: bytes
    size: int
    is_binary: bool


_COLUMNS = "s.token, s.root, r.number, r.project_version, s.created_at, s.published_at"
_FROM = "shares s JOIN revisions r ON r.id = s.revision_id"


def new_token() -> str:
    # 32 random bytes: unguessable, and URL-safe as it stands (43 characters).
    return secrets.token_urlsafe(32)


async def _snapshot(conn: AsyncConnection, project_id: UUID, user_id: UUID, version: int) -> int:
    """The id of a revision holding the project's files as saved now: the newest one when
    nothing changed since it, else a new one (call with the project row locked)."""
    cursor = await conn.execute(
        "SELECT id, project_version FROM revisions WHERE project_id = %s "
        "ORDER BY number DESC LIMIT 1",
        (project_id,),
    )
    row = await cursor.fetchone()
    if row is not None and row[1] == version:
        return int(row[0])
    made = await revision_repo.record(conn, project_id, user_id, MESSAGE)
    cursor = await conn.execute(
        "SELECT id FROM revisions WHERE project_id = %s AND number = %s", (project_id, made.number)
    )
    found = await cursor.fetchone()
    assert found is not None
    return int(found[0])


async def create(
    conn: AsyncConnection, project_id: UUID, user_id: UUID, version: int, root: str
) -> Share:
    revision_id = await _snapshot(conn, project_id, user_id, version)
    token = new_token()
    await conn.execute(
        "INSERT INTO shares (token, project_id, revision_id, root, created_by) "
        "VALUES (%s, %s, %s, %s, %s)",
        (token, project_id, revision_id, root, user_id),
    )
    share = await get(conn, project_id, token)
    assert share is not None
    return share


async def republish(
    conn: AsyncConnection, project_id: UUID, user_id: UUID, version: int, token: str
) -> Share | None:
    """Point the link at the files as saved now."""
    if await get(conn, project_id, token) is None:
        return None
    revision_id = await _snapshot(conn, project_id, user_id, version)
    await conn.execute(
        "UPDATE shares SET revision_id = %s, published_at = now() "
        "WHERE token = %s AND project_id = %s",
        (revision_id, token, project_id),
    )
    return await get(conn, project_id, token)


async def list_for(conn: AsyncConnection, project_id: UUID) -> list[Share]:
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE s.project_id = %s ORDER BY s.created_at DESC",
        (project_id,),
    )
    return [Share(*row) for row in await cursor.fetchall()]


async def get(conn: AsyncConnection, project_id: UUID, token: str) -> Share | None:
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE s.project_id = %s AND s.token = %s",
        (project_id, token),
    )
    row = await cursor.fetchone()
    return Share(*row) if row else None


async def revoke(conn: AsyncConnection, project_id: UUID, token: str) -> bool:
    cursor = await conn.execute(
        "DELETE FROM shares WHERE project_id = %s AND token = %s", (project_id, token)
    )
    return cursor.rowcount > 0


async def has_folder(conn: AsyncConnection, project_id: UUID, root: str) -> bool:
    cursor = await conn.execute(
        "SELECT EXISTS (SELECT 1 FROM files WHERE project_id = %s AND path ^@ %s)",
        (project_id, root + "/"),
    )
    row = await cursor.fetchone()
    return bool(row and row[0])


# ------------------------------------------------------------ public side (token only)


async def public_files(conn: AsyncConnection, token: str) -> list[PublicFile] | None:
    """Every file under the share's root, paths relative to it; None: no such share."""
    cursor = await conn.execute(
        """SELECT s.root, rf.path, rf.sha256, rf.size, rf.is_binary
             FROM shares s LEFT JOIN revision_files rf ON rf.revision_id = s.revision_id
              AND (s.root = '' OR rf.path ^@ (s.root || '/'))
            WHERE s.token = %s ORDER BY rf.path""",
        (token,),
    )
    rows = await cursor.fetchall()
    if not rows:
        return None
    cut = len(rows[0][0]) + 1 if rows[0][0] else 0
    return [
        PublicFile(path[cut:], sha, size, binary)
        for _root, path, sha, size, binary in rows
        if path is not None
    ]


async def public_file(
    conn: AsyncConnection, token: str, paths: list[str]
) -> tuple[bool, str | None, StoredFile | None]:
    """(share exists, the first of `paths` (relative to the root) that is in it, its file)."""
    cursor = await conn.execute(
        """SELECT rf.path, rf.sha256, rf.size, rf.is_binary, r.project_version, s.root
             FROM shares s JOIN revisions r ON r.id = s.revision_id
             LEFT JOIN revision_files rf ON rf.revision_id = s.revision_id
              AND rf.path = ANY(SELECT CASE WHEN s.root = '' THEN p ELSE s.root || '/' || p END
                                  FROM unnest(%s::text[]) AS p)
            WHERE s.token = %s""",
        (paths, token),
    )
    rows = await cursor.fetchall()
    if not rows:
        return False, None, None
    root = rows[0][5]
    found = {row[0]: StoredFile(*row[:5]) for row in rows if row[0] is not None}
    for path in paths:
        full = f"{root}/{path}" if root else path
        if full in found:
            return True, path, found[full]
    return True, None, None


async def public_blob_in(conn: AsyncConnection, token: str, sha: bytes) -> bool:
    """Is this content one of the share's files (under its root)?"""
    cursor = await conn.execute(
        """SELECT EXISTS (SELECT 1 FROM shares s JOIN revision_files rf
                            ON rf.revision_id = s.revision_id
                         WHERE s.token = %s AND rf.sha256 = %s
                           AND (s.root = '' OR rf.path ^@ (s.root || '/')))""",
        (token, sha),
    )
    row = await cursor.fetchone()
    return bool(row and row[0])
