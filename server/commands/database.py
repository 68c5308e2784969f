"""The database a command works on: DATABASE_URL's server, or an embedded PostgreSQL in
the data dir that the command starts and stops; and its failures said as CliErrors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from server import db, migrate
from server.commands import CliError
from server.embedded_pg import EmbeddedPostgres, EmbeddedPostgresError
from server.settings import Settings


def prepare_data_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        raise CliError(f"data dir {path} is not writable: {error.strerror or error}") from error


@contextmanager
def database(settings: Settings) -> Iterator[tuple[str, str]]:
    """Yield (url, description): DATABASE_URL's server, or an embedded one we start and stop."""
    if settings.database_url:
        yield settings.database_url, db.redact(settings.database_url)
        return
    prepare_data_dir(settings.data_dir)
    embedded = EmbeddedPostgres(settings.data_dir)
    try:
        url = embedded.start()
    except EmbeddedPostgresError as error:
        raise CliError(str(error)) from error
    try:
        yield url, f"embedded PostgreSQL in {embedded.pgdata}"
    finally:
        embedded.stop()


@contextmanager
def database_errors() -> Iterator[None]:
    """An unreachable database or a failed migration, as the one line the user sees."""
    try:
        yield
    except db.DatabaseUnavailable as error:
        raise CliError(str(error)) from error
    except migrate.MigrationError as error:
        raise CliError(f"migrations: {error}") from error
