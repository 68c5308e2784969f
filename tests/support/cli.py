"""The `cospai` command two ways: `run_cli`, in a subprocess as a person runs it, and
`InProcessCli`, in the test's own process (server.cli.main) for refusals that come before
anything starts: no interpreter to start, so each costs milliseconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from server.cli import main
from tests.support.paths import ROOT


def run_cli(
    *args: str,
    database_url: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 30,
) -> subprocess.CompletedProcess[str]:
    """`cospai ARGS`; DATABASE_URL only when given, and `env` on top of this process's."""
    full_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url is not None:
        full_env["DATABASE_URL"] = database_url
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class InProcessCli:
    """Call with the arguments; DATABASE_URL and `extra_env` as given, no COSPAI_* or
    DATABASE_URL of the machine. Returns what a subprocess would: code, stdout, stderr."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
        self.monkeypatch, self.capsys = monkeypatch, capsys
        for name in list(os.environ):
            if name.startswith("COSPAI_") or name == "DATABASE_URL":
                monkeypatch.delenv(name)
        # `serve` installs a SIGTERM handler of its own; `restore` puts this one back.
        self.sigterm = signal.getsignal(signal.SIGTERM)

    def __call__(
        self, *args: str, database_url: str | None = None, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        if database_url is not None:
            self.monkeypatch.setenv("DATABASE_URL", database_url)
        for name, value in (extra_env or {}).items():
            self.monkeypatch.setenv(name, value)
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: usage errors and --help
            code = int(exit_.code or 0)
        out, err = self.capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)

    def restore(self) -> None:
        signal.signal(signal.SIGTERM, self.sigterm)
