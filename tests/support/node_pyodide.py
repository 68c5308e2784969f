"""Running a unit suite inside Pyodide under Node (no browser), for the integration tests.

Node, the vendored pyodide package and a built dist/ (whose wheelhouse has pytest) are all
things `make test` provides, so a missing one is a failure that says what to run, not a
skip: a skip here would let the Pyodide half of a suite vanish silently.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import DIST, ROOT

PYODIDE = ROOT / "node_modules" / "pyodide"


def run_suite(runner: Path) -> str:
    """Run `runner` (an .mjs under tests/integration) and return its report; fails the test
    when a prerequisite is missing or the suite inside Pyodide does not pass."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (make test needs it for npm ci)")
    if not (PYODIDE / "pyodide.mjs").is_file():
        pytest.fail("node_modules/pyodide is missing: run `npm ci` (make deps)")
    wheels = [w for w in DIST.glob("assets/wheelhouse-*/wheels") if any(w.glob("pytest-*.whl"))]
    if not wheels:
        pytest.fail("dist/ has no wheelhouse with pytest: run `make build`")
    done = subprocess.run(
        [node, str(runner), str(ROOT), str(PYODIDE), str(wheels[0])],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert " passed" in report and "failed" not in report, report
    return report
