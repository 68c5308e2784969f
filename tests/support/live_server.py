"""A real `cospai serve` in a subprocess on a free port, stopped by PID."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Protocol, TypedDict, Unpack

from tests.support.paths import DIST, ROOT


class ServerOptions(TypedDict, total=False):
    """LiveServer's keywords a test may set (the database and data folder are given)."""

    extra_env: dict[str, str] | None
    extra_args: list[str] | None
    port: int


class StartServer(Protocol):
    """The `start_server` fixture: a started server with its own dist/ or settings."""

    def __call__(self, dist: Path = ..., **options: Unpack[ServerOptions]) -> LiveServer: ...


class LiveServer:
    """Start with `start()`; `url` is the base URL ("http://127.0.0.1:PORT")."""

    def __init__(
        self,
        *,
        database_url: str | None,
        data_dir: Path,
        dist_dir: Path = DIST,
        extra_env: dict[str, str] | None = None,
        extra_args: list[str] | None = None,
        port: int = 0,
    ) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.dist_dir = dist_dir
        self.extra_env = extra_env or {}
        self.extra_args = extra_args or []
        self.port = port  # 0: any free port (a restart passes the one it had)
        self.process: subprocess.Popen[str] | None = None
        self.url = ""
        self.output: list[str] = []

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
            "--dist-dir",
            str(self.dist_dir),
            "--log-level",
            "warning",
            *self.extra_args,
        ]

    def start(self, timeout: float = 60) -> LiveServer:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        env["PYTHONUNBUFFERED"] = "1"
        # A test session signs up dozens of users from 127.0.0.1; the throttle has its tests.
        env.setdefault("COSPAI_SIGNUPS_PER_HOUR", "100000")
        # No test server reaches a real registry unless its test says so (tests/support/mirror.py).
        env.setdefault("COSPAI_NPM_UPSTREAM", "none")
        env.setdefault("COSPAI_PYPI_UPSTREAM", "none")
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert self.process and self.process.stdout
            for line in self.process.stdout:
                self.output.append(line)
                lines.put(line)
            lines.put(None)

        self._pump = threading.Thread(target=pump, daemon=True)
        self._pump.start()
        deadline = time.monotonic() + timeout
        while not self.url:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                raise RuntimeError(f"server did not start in {timeout}s:\n{self.log}") from None
            if line is None:
                raise RuntimeError(f"server exited ({self.process.wait()}):\n{self.log}")
            if line.startswith("CosPAI IDE serving at "):
                self.url = line.split(" at ", 1)[1].strip().rstrip("/")
        self.wait_healthy(deadline)
        return self

    def wait_healthy(self, deadline: float) -> None:
        while True:
            try:
                self.health()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def health(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/api/health", timeout=5) as response:
            return json.loads(response.read())

    @property
    def log(self) -> str:
        return "".join(self.output)

    def kill(self) -> None:
        """Die at once (SIGKILL), as a crashed server does; the next start may reuse the port."""
        if self.process is not None:
            self.port = int(self.url.rsplit(":", 1)[1])
            self.process.kill()
            self.stop()

    def stop(self, timeout: float = 15) -> int | None:
        """SIGTERM by PID, then SIGKILL if it will not go; return the exit code."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._pump.join(timeout=5)
        if process.stdout:
            process.stdout.close()
        return process.returncode

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def throwaway_server(url: str | None = None) -> Iterator[str]:
    """`url` when given (a running server); else a server of our own on a fresh database
    (DATABASE_URL's server, or an embedded one), stopped afterwards. Yields the base URL."""
    if url:
        yield url.rstrip("/")
        return
    from tests.support import databases

    with ExitStack() as stack:
        admin = stack.enter_context(databases.admin_url())
        db_url = stack.enter_context(databases.fresh_database(admin))
        data = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        yield stack.enter_context(LiveServer(database_url=db_url, data_dir=data)).url
