"""The shell must run unchanged inside a Pyodide Web Worker: one thread, no processes, no
signals, and the process's cwd is not the shell's (two terminal tabs share a worker)."""

from __future__ import annotations

import ast

from tests.support.paths import ROOT

SHELL = ROOT / "client" / "core" / "shell"
FORBIDDEN_MODULES = {
    "subprocess",
    "threading",
    "multiprocessing",
    "signal",
    "ctypes",
    "concurrent",
    "socket",
    "select",
    "pty",
    "termios",
    "fcntl",
}
FORBIDDEN_CALLS = {
    "os.chdir",
    "os.fork",
    "os.system",
    "os.popen",
    "os.kill",
    "os.exec",
    "os.spawn",
    "os.getcwd",
}


def test_no_processes_threads_signals_or_chdir() -> None:
    offenders = []
    for path in sorted(SHELL.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = {node.module.split(".")[0]}
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                dotted = f"{node.value.id}.{node.attr}"
                names = {dotted} if any(dotted.startswith(c) for c in FORBIDDEN_CALLS) else set()
            else:
                continue
            bad = names & FORBIDDEN_MODULES or {n for n in names if "." in n}
            if bad:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {sorted(bad)}")
    assert offenders == []
