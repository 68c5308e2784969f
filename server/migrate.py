"""Versioned SQL migrations: applied once, in order, each in its own transaction.

Files are `migrations/NNNN_name.sql`. A PostgreSQL advisory lock makes concurrent
servers queue behind one migrator; the others then find nothing left to do. An applied
migration whose file later changed is an error, never silently skipped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed bigint; spells "cospai" so it is recognisable in pg_locks.
LOCK_KEY = 0x636F73706169


class MigrationError(Exception):
    """The migrations on disk and in the database disagree, or one failed."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


@dataclass(frozen=True)
class MigrationStatus:
    version: int
    name: str
    applied_at: datetime | None


def discover(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(folder.glob("*.sql")):
        match = re.fullmatch(r"(\d{4})_([a-z0-9_]+)\.sql", path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name.sql")
        migrations.append(Migration(int(match[1]), match[2], path.read_text()))
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migration versions must run 1, 2, 3... without gaps: {versions}")
    return migrations


_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


def _applied(conn: psycopg.Connection) -> dict[int, tuple[str, str, datetime]]:
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return {}
    rows = conn.execute("SELECT version, name, checksum, applied_at FROM schema_migrations")
    return {v: (n, c, at) for v, n, c, at in rows.fetchall()}


def _check_history(known: list[Migration], applied: dict[int, tuple[str, str, datetime]]) -> None:
    by_version = {m.version: m for m in known}
    for version, (name, checksum, _at) in sorted(applied.items()):
        migration = by_version.get(version)
        if migration is None:
            raise MigrationError(
                f"the database has migration {version:04d}_{name}, which this server does not "
                "know: it was made by a newer version of CosPAI IDE"
            )
        if migration.checksum != checksum:
            raise MigrationError(
                f"migration {version:04d}_{name} was edited after it was applied; "
                "add a new migration instead of changing an applied one"
            )


def apply(url: str, folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Apply pending migrations; return those this call applied (empty if none)."""
    known = discover(folder)
    done: list[Migration] = []
    with psycopg.connect(url, autocommit=True) as conn:
        # Session lock: a second server waits here, then sees the work already done.
        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            conn.execute(_CREATE_TABLE)
            applied = _applied(conn)
            _check_history(known, applied)
            for migration in known:
                if migration.version in applied:
                    continue
                try:
                    with conn.transaction():
                        conn.execute(migration.sql)
                        conn.execute(
                            "INSERT INTO schema_migrations (version, name, checksum) "
                            "VALUES (%s, %s, %s)",
                            (migration.version, migration.name, migration.checksum),
                        )
                except psycopg.Error as error:
                    raise MigrationError(
                        f"migration {migration.version:04d}_{migration.name} failed and was "
                        f"rolled back: {error}"
                    ) from error
                done.append(migration)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    return done


def status(url: str, folder: Path = MIGRATIONS_DIR) -> list[MigrationStatus]:
    known = discover(folder)
    with psycopg.connect(url, autocommit=True) as conn:
        applied = _applied(conn)
    _check_history(known, applied)
    return [
        MigrationStatus(m.version, m.name, applied[m.version][2] if m.version in applied else None)
        for m in known
    ]
