"""40 sign-ups at once used to take a server from 253 MB to 2.5 GB: each argon2 hash holds
64 MiB, and 40 ran together. They now queue for one slot per core; the server's peak
memory (VmHWM, in a real `cospai serve`) grows by a few hashes' worth. With 12 at once
(bounded by the suite's time on 2 cores) the unbounded server grew by about 700 MB."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from server import passwords
from tests.support import databases
from tests.support.api import PASSWORD, tiny_dist
from tests.support.live_server import LiveServer

HASH_MIB = 64
CONCURRENT = 12


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@pytest.fixture
def server(pg_admin_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    with databases.fresh_database(pg_admin_url) as url:
        live = LiveServer(
            database_url=url,
            data_dir=tmp_path / "data",
            dist_dir=tiny_dist(tmp_path / "dist"),
            extra_env={"COSPAI_SIGNUPS_PER_HOUR": "1000"},
        )
        with live:
            yield live


def test_concurrent_sign_ups_hash_within_bounded_memory(server: LiveServer) -> None:
    assert server.process is not None
    pid = server.process.pid
    before = peak_rss_mib(pid)
    barrier = threading.Barrier(CONCURRENT)
    statuses: list[int] = []

    def sign_up() -> None:
        barrier.wait()
        response = requests.post(
            f"{server.url}/api/auth/signup",
            timeout=120,
            headers={"origin": server.url},
            json={"email": f"m-{secrets.token_hex(6)}@example.com", "password": PASSWORD},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=sign_up) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert statuses == [201] * CONCURRENT
    grown = peak_rss_mib(pid) - before
    # One hash per slot at a time, and some slack for the requests themselves.
    assert grown < (passwords.SLOTS + 2) * HASH_MIB, (grown, passwords.SLOTS)
