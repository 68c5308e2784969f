"""The terminal shell's unit suite, run inside Pyodide (under Node, no browser).

The shell runs in a Pyodide worker on Emscripten's file system; its CPython tests prove the
logic, this proves the platform: os, glob, shutil and stat behave there as the shell
expects. Needs node, the vendored pyodide package and a built dist/ (for the wheelhouse's
pytest); it skips, saying which, when one is missing.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.paths import DIST, ROOT

PYODIDE = ROOT / "node_modules" / "pyodide"
RUNNER = ROOT / "tests" / "integration" / "shell_in_pyodide.mjs"


def test_shell_suite_passes_inside_pyodide() -> None:
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
