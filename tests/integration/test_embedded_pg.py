"""server/embedded_pg.py: a real PostgreSQL from the pgserver wheel, in the data dir.

As root, pgserver runs postgres as another system user, which must be able to traverse
every parent of the data dir: hence mkdtemp + chmod 0o755 rather than pytest's tmp_path.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from server import migrate
from server.embedded_pg import DATABASE, EmbeddedPostgres
from tests.support.live_server import LiveServer


@pytest.fixture
def data_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="cospai-test-embedded-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def wait_gone(path: Path, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_start_query_stop_and_restart_keeps_data(data_dir: Path) -> None:
    server = EmbeddedPostgres(data_dir)
    url = server.start()
    try:
        assert url == server.url
        assert url.startswith("postgresql://")
        pid_file = server.pgdata / "postmaster.pid"
        assert pid_file.is_file()
        assert server.pgdata == data_dir.resolve() / "postgres"
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (DATABASE,)
            assert conn.execute("SELECT 6 * 7").fetchone() == (42,)
            exists = conn.execute(
                "SELECT count(*) FROM pg_database WHERE datname = %s", (DATABASE,)
            ).fetchone()
            assert exists == (1,)
            conn.execute("CREATE TABLE kept (note text)")
            conn.execute("INSERT INTO kept VALUES ('survives a restart')")
        # Unix socket only, inside pgdata: nothing listens on the network.
        assert conninfo_to_dict(url)["host"] == str(server.pgdata)
    finally:
        server.stop()

    assert wait_gone(pid_file)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=3).close()
    server.stop()  # a second stop is harmless

    again = EmbeddedPostgres(data_dir)
    try:
        url2 = again.start()
        with psycopg.connect(url2, autocommit=True) as conn:
            assert conn.execute("SELECT note FROM kept").fetchall() == [("survives a restart",)]
    finally:
        again.stop()
    assert wait_gone(pid_file)


def test_context_manager_starts_and_stops(data_dir: Path) -> None:
    with EmbeddedPostgres(data_dir) as server:
        pid_file = server.pgdata / "postmaster.pid"
        with psycopg.connect(server.url, autocommit=True) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (DATABASE,)
    assert wait_gone(pid_file)


def test_serve_without_database_url_uses_the_embedded_server(data_dir: Path) -> None:
    pid_file = data_dir.resolve() / "postgres" / "postmaster.pid"
    server = LiveServer(database_url=None, data_dir=data_dir)
    server.start()
    try:
        health = server.health()
        assert health["status"] == "ok"
        assert health["database"]["status"] == "ok"
        assert health["database"]["schema_version"] == len(migrate.discover())
        assert "embedded PostgreSQL" in server.log
        assert pid_file.is_file()

        # Through real uvicorn too, a request target outside the manifest gets no file.
        parts = urlsplit(server.url)
        assert parts.hostname is not None
        for target in (
            "/../pyproject.toml",
            "/assets/%2e%2e/%2e%2e/pyproject.toml",
            "/%2e%2e/server/app.py",
            "/index.html%00",
        ):
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
            try:
                conn.request("GET", target)
                response = conn.getresponse()
                body = response.read()
            finally:
                conn.close()
            assert response.status == 404, target
            assert b"[build-system]" not in body and b"create_app" not in body
            assert json.loads(body)["error"]["code"] == "not_found"
    finally:
        code = server.stop()
    assert code == 0, server.log
    assert wait_gone(pid_file), "the embedded PostgreSQL was left running"
    assert "Traceback" not in server.log


def postmaster_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def test_a_server_that_adopts_an_orphaned_postgres_stops_it(data_dir: Path) -> None:
    """kill -9 of `cospai serve` leaves its PostgreSQL running; the next server adopts it
    and must stop it on a normal stop (it used to stay running, counted as still used by
    the dead process)."""
    pid_file = data_dir.resolve() / "postgres" / "postmaster.pid"
    handles = data_dir.resolve() / "postgres" / ".handle_pids.json"
    first = LiveServer(database_url=None, data_dir=data_dir)
    first.start()
    assert first.process is not None
    dead = first.process.pid
    orphan = postmaster_pid(pid_file)
    first.kill()
    try:
        assert orphan is not None and pid_file.is_file()
        assert dead in json.loads(handles.read_text())
        second = LiveServer(database_url=None, data_dir=data_dir)
        second.start()
        try:
            assert second.health()["database"]["status"] == "ok"
            assert postmaster_pid(pid_file) == orphan  # adopted, not a second server
            assert dead not in json.loads(handles.read_text())
            assert "forgetting processes that died" in second.log
        finally:
            assert second.stop() == 0, second.log
        assert wait_gone(pid_file, 15), "the adopted PostgreSQL was left running"
        assert json.loads(handles.read_text()) == []
    finally:
        left = postmaster_pid(pid_file)
        if left is not None and left == orphan:  # only the one this test started
            os.kill(left, signal.SIGTERM)
            wait_gone(pid_file, 15)
