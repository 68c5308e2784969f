"""The python and pip commands' unit suite, run inside Pyodide (under Node, no browser).

Their CPython tests prove the logic; this proves it on the interpreter users get (3.14,
Emscripten's file system, Pyodide's runpy and traceback layout). The real micropip is
exercised in the browser by tests/e2e/test_python_pip_in_pyodide.py. Needs node, the
vendored pyodide package and a built dist/ (for pytest's wheels); a missing one fails,
saying which.
"""

from __future__ import annotations

from tests.support.node_pyodide import run_suite
from tests.support.paths import ROOT

RUNNER = ROOT / "tests" / "integration" / "worker_in_pyodide.mjs"


def test_worker_suite_passes_inside_pyodide() -> None:
    run_suite(RUNNER)
