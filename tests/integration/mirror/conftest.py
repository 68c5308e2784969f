"""The mirror's integration fixtures: real packages, an upstream that is a second mirror
instance seeded from them (tests/support/mirror.py), and the mirror under test on a fresh
database pointing at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from server.mirror import seeds
from server.mirror.seeds import SeedFile
from tests.support import databases
from tests.support.mirror import (
    Counting,
    ThreadedServer,
    cli,
    mirror_app,
    mirror_client,
    npm_pack,
    serving,
    upstream_settings,
    wheelhouse,
)


@dataclass(frozen=True)
class Packages:
    folder: Path
    npm: dict[str, SeedFile]  # package name -> the tarball, read as seeding reads it
    wheels: dict[str, SeedFile]  # project -> the wheel


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory, dist_dir: Path) -> Packages:
    folder = tmp_path_factory.mktemp("mirror-packages")
    npm = {name: seeds.read(path, 10**9) for name, path in npm_pack(folder).items()}
    wheels = {name: seeds.read(path, 10**9) for name, path in wheelhouse(folder, dist_dir).items()}
    return Packages(folder, npm, wheels)


@pytest.fixture(scope="session")
def upstream_db(pg_admin_url: str, packages: Packages) -> Iterator[str]:
    """The upstream mirror's database, seeded once with `cospai mirror seed`."""
    with databases.fresh_database(pg_admin_url) as url:
        done = cli(url, "mirror", "seed", str(packages.folder))
        assert done.returncode == 0, done.stdout + done.stderr
        yield url


@dataclass
class Upstream:
    server: ThreadedServer
    counting: Counting

    @property
    def url(self) -> str:
        return self.server.url

    def settings(self) -> dict[str, str]:
        return upstream_settings(self.url)


@pytest.fixture
def upstream(upstream_db: str, tmp_path: Path) -> Iterator[Upstream]:
    """A second, live mirror instance holding the packages (and nothing else)."""
    with serving(mirror_app(upstream_db, tmp_path / "upstream")) as (server, counting):
        yield Upstream(server, counting)


MirrorFactory = Callable[..., TestClient]


@pytest.fixture
def new_mirror(database_url: str, tmp_path: Path, upstream: Upstream) -> Iterator[MirrorFactory]:
    """The mirror under test, pointed at the upstream; keyword arguments are its settings."""
    opened: list[Any] = []

    def make(**mirror: Any) -> TestClient:
        context = mirror_client(
            database_url, tmp_path / "mirror", **{**upstream.settings(), **mirror}
        )
        opened.append(context)
        return context.__enter__()

    yield make
    for context in reversed(opened):
        context.__exit__(None, None, None)


@pytest.fixture
def mirror(new_mirror: MirrorFactory) -> TestClient:
    return new_mirror()


def document(mirror: TestClient, path: str, accept: str, media: str) -> dict[str, Any]:
    """The JSON document at `path` for that Accept, checked to come as `media`."""
    response = mirror.get(path, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    found: dict[str, Any] = response.json()
    return found
