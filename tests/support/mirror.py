"""The package mirror's test bench: real packages and a real upstream, no outside network.

- Real npm tarballs: `npm pack` of packages the build's `npm ci` installed in node_modules/
  (scoped and unscoped, one depending on another); real wheels: the build's wheelhouse.
- The upstream is a second mirror instance (the same app, on its own database, seeded with
  `cospai mirror seed`), served by uvicorn in a thread and wrapped in `Counting`, which
  counts the requests it answers by path and can hold chosen paths back a while (to make
  concurrent fetches overlap) or refuse everything (an upstream that is down).
- The mirror under test points at it: in-process (`mirror_client`) or as `cospai serve`.
"""

from __future__ import annotations

import asyncio
import collections
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from server.app import create_app
from server.mirror.config import MirrorSettings
from server.settings import Settings
from tests.support.api import BASE_URL, TEST_HOSTS, tiny_dist
from tests.support.cli import run_cli
from tests.support.paths import DIST, ROOT

# name in node_modules -> the tarball `npm pack` makes of it
NPM_PACKAGES = {
    "balanced-match": "balanced-match",
    "brace-expansion": "brace-expansion",  # depends on balanced-match
    "@xterm/addon-fit": "xterm-addon-fit",
    "@types/estree": "types-estree",
}
WHEELS = ("iniconfig", "mdurl", "idna")


def npm_pack(dest: Path) -> dict[str, Path]:
    """Real tarballs of installed packages: package name -> its .tgz in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    folders = [str(ROOT / "node_modules" / name) for name in NPM_PACKAGES]
    subprocess.run(
        ["npm", "pack", "--ignore-scripts", "--silent", "--pack-destination", str(dest), *folders],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = {}
    for name, stem in NPM_PACKAGES.items():
        (tarball,) = dest.glob(f"{stem}-[0-9]*.tgz")
        found[name] = tarball
    return found


def wheelhouse(dest: Path, dist: Path = DIST) -> dict[str, Path]:
    """Real wheels from the build's wheelhouse: project name -> its copy in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    found = {}
    for name in WHEELS:
        (wheel,) = dist.glob(f"assets/wheelhouse-*/wheels/{name}-*.whl")
        found[name] = Path(shutil.copy(wheel, dest))
    return found


def cli(database_url: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """`cospai ARGS` against that database."""
    return run_cli(*args, database_url=database_url, env=env, timeout=120)


@dataclass
class Counting:
    """ASGI wrapper: counts requests by path; holds back paths containing a `slow` part."""

    app: ASGIApp
    hits: collections.Counter[str] = field(default_factory=collections.Counter)
    slow: dict[str, float] = field(default_factory=dict)
    down: bool = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            self.hits[path] += 1
            if self.down:
                await send({"type": "http.response.start", "status": 503, "headers": []})
                await send({"type": "http.response.body", "body": b"down"})
                return
            for part, seconds in self.slow.items():
                if part in path:
                    await asyncio.sleep(seconds)
        await self.app(scope, receive, send)

    def count(self, part: str) -> int:
        return sum(n for path, n in self.hits.items() if part in path)


class ThreadedServer:
    """uvicorn serving an ASGI app on 127.0.0.1 (a free port) in a thread of this process."""

    def __init__(self, app: ASGIApp) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, args=([self.sock],), daemon=True)

    def start(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the upstream server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


def mirror_app(database_url: str, folder: Path, **mirror: Any) -> ASGIApp:
    """The IDE app with these mirror settings (and a sandbox site for the CORS tests)."""
    settings = Settings(
        dist_dir=tiny_dist(folder / "dist"),
        allowed_hosts=(*TEST_HOSTS, "127.0.0.1", "localhost"),
        sandbox_host="{project}.sandbox.test",
        forwarded_allow_ips=("*",),
        mirror=MirrorSettings(**{"npm_upstream": "none", "pypi_upstream": "none", **mirror}),
    )
    return create_app(settings, database_url=database_url)


@contextmanager
def serving(app: ASGIApp) -> Iterator[tuple[ThreadedServer, Counting]]:
    counting = Counting(app)
    server = ThreadedServer(counting).start()
    try:
        yield server, counting
    finally:
        server.stop()


def upstream_settings(url: str) -> dict[str, str]:
    """Mirror settings pointing at a mirror instance served at `url`."""
    return {
        "npm_upstream": f"{url}/api/mirror/npm/",
        "pypi_upstream": f"{url}/api/mirror/pypi/simple/",
    }


@contextmanager
def mirror_client(database_url: str, folder: Path, **mirror: Any) -> Iterator[TestClient]:
    """The mirror under test, in this process, on its own database."""
    with TestClient(mirror_app(database_url, folder, **mirror), base_url=BASE_URL) as client:
        yield client


async def empty_registry(scope: Scope, receive: Receive, send: Send) -> None:
    """An upstream that has no package at all: 404 for every request (as a registry says
    of a name it does not know)."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b"not found"})


TINY = "fuzz-pkg"  # the package tiny_packages makes, for npm and for PyPI


def tiny_packages(folder: Path) -> Path:
    """A minimal npm tarball and wheel of TINY, made here (for tests that need a package
    to exist, not a real one)."""
    import io
    import json
    import tarfile
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    manifest = json.dumps({"name": TINY, "version": "1.0.0", "description": "tiny"}).encode()
    with tarfile.open(folder / f"{TINY}-1.0.0.tgz", "w:gz") as archive:
        info = tarfile.TarInfo("package/package.json")
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
    stem = TINY.replace("-", "_")
    with zipfile.ZipFile(folder / f"{stem}-1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr(f"{stem}-1.0.dist-info/METADATA", f"Name: {TINY}\nVersion: 1.0\n")
    return folder
