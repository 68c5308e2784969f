"""The `cospai` command in a subprocess, as a person runs it."""

from __future__ import annotations

import os
import subprocess
import sys

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
