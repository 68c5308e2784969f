"""The python and pip commands' unit suite, run inside Pyodide (under Node, no browser).

Their CPython tests prove the logic; this proves it on the interpreter users get (3.14,
Emscripten's file system, Pyodide's runpy and traceback layout). The real micropip is
exercised in the browser by tests/e2e/test_python_pip_in_pyodide.py. Needs node, the
vendored pyodide package and a built dist/ (for pytest's wheels); skips, saying which,
when one is missing.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.paths import DIST, ROOT

PYODIDE = ROOT / "node_modules" / "pyodide"
RUNNER = ROOT / "tests" / "integration" / "worker_in_pyodide.mjs"


def test_worker_suite_passes_inside_pyodide() -> None:
    node = shutil.which("node")
    wheels = [w for w in DIST.glob("assets/wheelhouse-*/wheels") if any(w.glob("pytest-*.whl"))]
    if node is None:
        pytest.skip("node is not installed")
    if not (PYODIDE / "pyodide.mjs").is_file():
        pytest.skip("node_modules/pyodide is missing: run `npm ci`")
    if not wheels:
        pytest.skip("dist/ has no wheelhouse: run `make build`")
    done = subprocess.run(
        [node, str(RUNNER), str(ROOT), str(PYODIDE), str(wheels[0])],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert " passed" in report and "failed" not in report, report
