"""server/migrate.py against a real PostgreSQL, one fresh database per test."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest

from server import migrate
from server.migrate import MigrationError
from tests.support.databases import scalar
from tests.support.paths import ROOT


def table_exists(url: str, name: str) -> bool:
    return bool(scalar(url, "SELECT to_regclass(%s) IS NOT NULL", (name,)))


def applied_versions(url: str) -> list[int]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    return [row[0] for row in rows]


# The project's real migrations, as discovered: tests stay right as migrations are added.
REAL = [(m.version, m.name) for m in migrate.discover()]
VERSIONS = [v for v, _ in REAL]


def write_migrations(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql)
    return folder


def applied_at_once(count: int, url: str, folder: Path) -> list[list[int]]:
    """`count` threads apply the migrations in `folder` at the same moment: the versions each
    one applied. Every thread must finish, and none may raise."""
    barrier = threading.Barrier(count)
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            results.append([m.version for m in migrate.apply(url, folder)])
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return results


def test_apply_on_a_fresh_database(database_url: str) -> None:
    assert not table_exists(database_url, "schema_migrations")
    applied = migrate.apply(database_url)
    assert [(m.version, m.name) for m in applied] == REAL
    assert table_exists(database_url, "schema_migrations")
    assert table_exists(database_url, "app_meta")
    assert table_exists(database_url, "files")
    assert applied_versions(database_url) == VERSIONS
    checksum = scalar(database_url, "SELECT checksum FROM schema_migrations WHERE version = 1")
    assert checksum == applied[0].checksum
    assert scalar(database_url, "SELECT count(*) FROM app_meta WHERE key = 'installed_at'") == 1


def test_apply_twice_is_idempotent(database_url: str) -> None:
    assert migrate.apply(database_url)
    assert migrate.apply(database_url) == []
    assert applied_versions(database_url) == VERSIONS
    assert scalar(database_url, "SELECT count(*) FROM app_meta") == 1


def test_status(database_url: str) -> None:
    before = migrate.status(database_url)
    assert [(s.version, s.name, s.applied_at) for s in before] == [(*m, None) for m in REAL]
    # status changes nothing.
    assert not table_exists(database_url, "schema_migrations")

    migrate.apply(database_url)
    after = migrate.status(database_url)
    assert [(s.version, s.name) for s in after] == REAL
    assert all(s.applied_at is not None for s in after)
    first_applied = after[0].applied_at
    assert first_applied is not None and first_applied.tzinfo is not None


def test_concurrent_apply_runs_each_migration_once(database_url: str, tmp_path: Path) -> None:
    # Slow migrations, so the two appliers really overlap.
    folder = write_migrations(
        tmp_path / "m",
        {
            "0001_first.sql": "CREATE TABLE ledger (who text); SELECT pg_sleep(0.3);"
            "INSERT INTO ledger VALUES ('0001');",
            "0002_second.sql": "SELECT pg_sleep(0.2); INSERT INTO ledger VALUES ('0002');",
        },
    )
    assert sorted(applied_at_once(3, database_url, folder)) == [[], [], [1, 2]]
    assert applied_versions(database_url) == [1, 2]
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute("SELECT who FROM ledger ORDER BY who").fetchall()
    assert rows == [("0001",), ("0002",)]


def test_concurrent_apply_of_the_real_migrations(database_url: str) -> None:
    applied = applied_at_once(2, database_url, migrate.MIGRATIONS_DIR)
    assert sorted(len(versions) for versions in applied) == [0, len(REAL)]
    assert scalar(database_url, "SELECT count(*) FROM schema_migrations") == len(REAL)
    assert scalar(database_url, "SELECT count(*) FROM app_meta") == 1


def test_failed_migration_is_rolled_back(database_url: str, tmp_path: Path) -> None:
    folder = write_migrations(
        tmp_path / "m",
        {
            "0001_first.sql": "CREATE TABLE first_t (id int);",
            "0002_second.sql": "CREATE TABLE second_t (id int); INSERT INTO first_t VALUES (1);"
            "SELECT 1 / 0;",
        },
    )
    with pytest.raises(MigrationError, match=r"0002_second failed and was rolled back") as info:
        migrate.apply(database_url, folder)
    assert "division by zero" in str(info.value)
    assert applied_versions(database_url) == [1]
    assert table_exists(database_url, "first_t")
    assert not table_exists(database_url, "second_t")
    assert scalar(database_url, "SELECT count(*) FROM first_t") == 0
    # The lock was released: a fixed migration applies.
    (folder / "0002_second.sql").write_text("CREATE TABLE second_t (id int);")
    assert [m.version for m in migrate.apply(database_url, folder)] == [2]
    assert table_exists(database_url, "second_t")


def test_edited_migration_is_refused(database_url: str, tmp_path: Path) -> None:
    folder = write_migrations(tmp_path / "m", {"0001_first.sql": "CREATE TABLE a (id int);"})
    migrate.apply(database_url, folder)
    (folder / "0001_first.sql").write_text("CREATE TABLE a (id bigint);")
    (folder / "0002_second.sql").write_text("CREATE TABLE b (id int);")
    with pytest.raises(MigrationError, match="edited"):
        migrate.apply(database_url, folder)
    with pytest.raises(MigrationError, match="edited"):
        migrate.status(database_url, folder)
    # Nothing after the edited one ran.
    assert not table_exists(database_url, "b")
    assert applied_versions(database_url) == [1]


def test_database_ahead_of_the_server_is_refused(database_url: str, tmp_path: Path) -> None:
    newer = write_migrations(
        tmp_path / "newer",
        {
            "0001_first.sql": "CREATE TABLE a (id int);",
            "0002_second.sql": "CREATE TABLE b (id int);",
        },
    )
    migrate.apply(database_url, newer)
    older = write_migrations(tmp_path / "older", {"0001_first.sql": "CREATE TABLE a (id int);"})
    with pytest.raises(MigrationError, match=r"0002_second.*newer version"):
        migrate.apply(database_url, older)
    with pytest.raises(MigrationError, match="newer version"):
        migrate.status(database_url, older)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"0001_first.sql": "", "2_second.sql": ""}, "NNNN_name.sql"),
        ({"0001_first.sql": "", "0002-second.sql": ""}, "NNNN_name.sql"),
        ({"0001_First.sql": ""}, "NNNN_name.sql"),
        ({"0001_first.sql": "", "0003_third.sql": ""}, "without gaps"),
        ({"0002_second.sql": ""}, "without gaps"),
    ],
)
def test_bad_migration_folders_are_refused(
    database_url: str, tmp_path: Path, files: dict[str, str], message: str
) -> None:
    folder = write_migrations(tmp_path / "m", files)
    with pytest.raises(MigrationError, match=message):
        migrate.apply(database_url, folder)
    with pytest.raises(MigrationError, match=message):
        migrate.status(database_url, folder)
    # Refused before touching the database.
    assert not table_exists(database_url, "schema_migrations")


def run_migrate_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "migrate", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_migrate_command(database_url: str) -> None:
    status = run_migrate_cli(database_url, "--status")
    assert status.returncode == 0, status.stderr
    assert "0001_foundation" in status.stdout
    assert "pending" in status.stdout
    assert not table_exists(database_url, "schema_migrations")

    first = run_migrate_cli(database_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines() == [f"applied {v:04d}_{n}" for v, n in REAL]
    assert applied_versions(database_url) == VERSIONS

    again = run_migrate_cli(database_url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "nothing to apply: the schema is up to date"

    done = run_migrate_cli(database_url, "--status")
    assert done.returncode == 0, done.stderr
    assert "pending" not in done.stdout
    line = next(line for line in done.stdout.splitlines() if "0001_foundation" in line)
    year = scalar(database_url, "SELECT extract(year FROM applied_at)::int FROM schema_migrations")
    assert f"{year}-" in line
    for result in (status, first, again, done):
        assert "Traceback" not in result.stdout + result.stderr
