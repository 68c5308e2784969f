"""The terminal shell's unit suite, run inside Pyodide (under Node, no browser).

The shell runs in a Pyodide worker on Emscripten's file system; its CPython tests prove the
logic, this proves the platform: os, glob, shutil and stat behave there as the shell
expects. Needs node, the vendored pyodide package and a built dist/ (for the wheelhouse's
pytest); a missing one fails, saying which.
"""

from __future__ import annotations

from tests.support.node_pyodide import run_suite
from tests.support.paths import ROOT

RUNNER = ROOT / "tests" / "integration" / "shell_in_pyodide.mjs"


def test_shell_suite_passes_inside_pyodide() -> None:
    run_suite(RUNNER)
