"""The commands on a database whose migrations disagree with this server's: made by a newer
version, or with an applied migration edited since. `migrate`, `migrate --status` and
`create-user` each refuse in one line (exit 2) that names the migration, and change
nothing. Run in this process (tests/support/cli.py) against real databases."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator

import pytest

from server import migrate
from server.db import redact
from tests.support import databases
from tests.support.cli import InProcessCli
from tests.support.databases import execute, query, scalar

FUTURE = "the database has migration 9999_future, which this server does not know"
EDITED = "migration 0001_foundation was edited after it was applied"


@pytest.fixture(scope="module")
def migrated(pg_admin_url: str) -> Iterator[str]:
    with databases.fresh_database(pg_admin_url) as url:
        migrate.apply(url)
        yield url


def rows(url: str) -> list[tuple[object, ...]]:
    return query(url, "SELECT version, name, checksum FROM schema_migrations ORDER BY version")


@pytest.fixture
def ahead(migrated: str) -> Iterator[str]:
    """The database as a newer CosPAI IDE left it: one migration more than we know."""
    execute(
        migrated,
        "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'future', 'x')",
    )
    yield migrated
    execute(migrated, "DELETE FROM schema_migrations WHERE version = 9999")


@pytest.fixture
def edited(migrated: str) -> Iterator[str]:
    """The database where 0001 was applied from a file that has changed since."""
    original = scalar(migrated, "SELECT checksum FROM schema_migrations WHERE version = 1")
    execute(migrated, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
    yield migrated
    execute(migrated, "UPDATE schema_migrations SET checksum = %s WHERE version = 1", (original,))


def assert_refused(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, result
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line, line
    assert line.startswith("cospai: error: migrations: "), line
    assert words in line, line


@pytest.mark.parametrize("args", [["migrate"], ["migrate", "--status"]])
@pytest.mark.parametrize(("state", "words"), [("ahead", FUTURE), ("edited", EDITED)])
def test_migrate_refuses_a_history_it_does_not_share(
    cospai_cli: InProcessCli,
    request: pytest.FixtureRequest,
    args: list[str],
    state: str,
    words: str,
) -> None:
    url = request.getfixturevalue(state)
    before = rows(url)
    assert_refused(cospai_cli(*args, database_url=url), words)
    assert rows(url) == before


def test_create_user_refuses_it_too_and_creates_no_account(
    cospai_cli: InProcessCli, ahead: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    users = scalar(ahead, "SELECT count(*) FROM users")
    result = cospai_cli(
        "create-user", "--email", "late@example.com", "--password-stdin", database_url=ahead
    )
    assert_refused(result, FUTURE)
    assert scalar(ahead, "SELECT count(*) FROM users") == users


def test_an_up_to_date_database_is_told_so(cospai_cli: InProcessCli, migrated: str) -> None:
    result = cospai_cli("migrate", database_url=migrated)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "nothing to apply: the schema is up to date\n"
    status = cospai_cli("migrate", "--status", database_url=migrated)
    assert status.returncode == 0
    lines = status.stdout.splitlines()
    assert lines[0] == f"migrations on {redact(migrated)}:"
    listed = [line.split()[0] for line in lines[1:]]
    assert listed == [f"{m.version:04d}_{m.name}" for m in migrate.discover()]
    assert "pending" not in status.stdout


def test_the_status_of_an_empty_database_lists_every_migration_as_pending(
    cospai_cli: InProcessCli, pg_admin_url: str
) -> None:
    with databases.fresh_database(pg_admin_url) as url:
        result = cospai_cli("migrate", "--status", database_url=url)
        assert result.returncode == 0, result.stderr
        body = result.stdout.splitlines()[1:]
        assert len(body) == len(migrate.discover())
        assert all(line.rstrip().endswith("pending") for line in body)
        # --status changes nothing, not even the bookkeeping table.
        assert scalar(url, "SELECT to_regclass('schema_migrations') IS NULL") is True


def test_a_database_that_does_not_exist_is_named(
    cospai_cli: InProcessCli, migrated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = databases.url_for(migrated, "cospai_no_such_database")
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    for args in (
        ["migrate"],
        ["migrate", "--status"],
        ["create-user", "--email", "x@example.com", "--password-stdin"],
    ):
        result = cospai_cli(*args, database_url=missing)
        assert result.returncode == 2, result
        line = result.stderr.strip()
        assert line.startswith(f"cospai: error: cannot connect to {redact(missing)}: "), line
        assert 'database "cospai_no_such_database" does not exist' in line
        assert "\n" not in line
