"""Shared fixtures: real PostgreSQL, a live server, and Debian's Chromium."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Unpack

import pytest
from playwright.sync_api import BrowserContext

from tests.support import browser, databases
from tests.support.cli import InProcessCli
from tests.support.live_server import LiveServer, ServerOptions, StartServer
from tests.support.paths import ARTIFACTS, DIST

E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests must pass in any order, and `make test` proves it on every run: the browser
    suites go first (they leave Playwright's state behind in this process), then the unit
    and integration suites in reverse of their usual order. A test that leans on one that
    used to run before it fails here."""
    browser = [item for item in items if E2E in item.path.parents]
    fast = [item for item in items if E2E not in item.path.parents]
    items[:] = browser + fast[::-1]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Playwright's sync API runs its event loop in a greenlet, and between its calls that
    loop stays marked as running on the main thread; a later test's `asyncio.run()` then
    fails ("cannot be called from a running event loop"), in a fixture or the test itself.
    Outside the browser suites a test is set up, run and torn down with no loop marked,
    and the mark is put back for Playwright afterwards."""
    borrowed = asyncio._get_running_loop()
    if borrowed is None or E2E in item.path.parents:
        return (yield)
    asyncio._set_running_loop(None)
    try:
        return (yield)
    finally:
        asyncio._set_running_loop(borrowed)


@pytest.fixture(scope="session")
def dist_dir() -> Path:
    if not (DIST / "manifest.json").is_file():
        pytest.fail("dist/ is not built: run `make build` (or `python build.py`) first")
    return DIST


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """DATABASE_URL when set (CI), else an embedded PostgreSQL for this test session."""
    with databases.admin_url() as url:
        yield url


@pytest.fixture
def database_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty database for one test."""
    with databases.fresh_database(pg_admin_url) as url:
        yield url


@pytest.fixture(scope="session")
def live_server(
    pg_admin_url: str, dist_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One server for the session's browser tests, on its own fresh database."""
    with databases.fresh_database(pg_admin_url) as url:
        server = LiveServer(database_url=url, data_dir=tmp_path_factory.mktemp("live-data"))
        with server:
            yield server


@pytest.fixture
def start_server(pg_admin_url: str, tmp_path: Path) -> Iterator[StartServer]:
    """Factory for a server with its own dist/ or settings; stopped after the test."""
    started: list[LiveServer] = []
    dbs = []

    def start(dist: Path = DIST, **kwargs: Unpack[ServerOptions]) -> LiveServer:
        ctx = databases.fresh_database(pg_admin_url)
        dbs.append(ctx)
        url = ctx.__enter__()
        server = LiveServer(
            database_url=url, data_dir=tmp_path / f"data{len(started)}", dist_dir=dist, **kwargs
        )
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
    for ctx in dbs:
        ctx.__exit__(None, None, None)


@pytest.fixture
def cospai_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[InProcessCli]:
    """`cospai ARGS` in this process (tests/support/cli.py)."""
    cli = InProcessCli(monkeypatch, capsys)
    yield cli
    cli.restore()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, **browser.launch_args()}


@pytest.fixture
def request_log(context: BrowserContext) -> list[str]:
    """Every URL the pages of this test's browser context requested."""
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    return urls


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
