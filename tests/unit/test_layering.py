"""Rules 1-3 of ARCHITECTURE.md, enforced on the source tree. contract/ is the one package
both sides import (what they must agree on); it imports only the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.support.paths import ROOT

CLIENT = ROOT / "client"
CONTRACT = ROOT / "contract"
SHARED = "contract"  # the package client/core and server/ may both import


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.add("client.core")  # relative imports inside core stay inside core
    return names


def python_files(folder: Path) -> list[Path]:
    files = sorted(folder.rglob("*.py"))
    assert files, folder
    return files


def _beyond(folder: Path, allowed: tuple[str, ...]) -> dict[str, list[str]]:
    """Per file of `folder`: what it imports besides the standard library and `allowed`."""
    stdlib = set(sys.stdlib_module_names)
    offenders = {}
    for path in python_files(folder):
        bad = {
            name
            for name in imported_modules(path)
            if name.split(".")[0] not in stdlib
            and not any(name == a or name.startswith(f"{a}.") for a in allowed)
        }
        if bad:
            offenders[path.relative_to(ROOT).as_posix()] = sorted(bad)
    return offenders


def test_core_imports_only_the_standard_library_itself_and_the_contract() -> None:
    assert _beyond(CLIENT / "core", ("client.core", SHARED)) == {}


def test_the_contract_imports_only_the_standard_library_and_itself() -> None:
    # It runs in the browser (Pyodide) and in the server alike.
    assert _beyond(CONTRACT, (SHARED,)) == {}


def test_the_contract_is_the_only_shared_package() -> None:
    """Besides the standard library and third-party packages, server/ imports server and
    contract; client/ imports client and contract."""
    ours = {"client", "server", SHARED, "tests", "build"}
    for side, own in ((CLIENT, "client"), (ROOT / "server", "server")):
        found = {
            name.split(".")[0]
            for path in python_files(side)
            for name in imported_modules(path)
            if name.split(".")[0] in ours
        }
        assert found <= {own, SHARED}, (side.name, found)


def test_only_ffi_touches_js() -> None:
    offenders = []
    for path in python_files(CLIENT):
        if path.is_relative_to(CLIENT / "ffi"):
            continue
        if {n for n in imported_modules(path) if n.split(".")[0] in {"js", "pyodide"}}:
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def test_client_and_server_never_import_each_other() -> None:
    client_bad = [
        p
        for p in python_files(CLIENT)
        if any(n.split(".")[0] == "server" for n in imported_modules(p))
    ]
    server_bad = [
        p
        for p in python_files(ROOT / "server")
        if any(n.split(".")[0] == "client" for n in imported_modules(p))
    ]
    assert client_bad == [] and server_bad == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """Guard the guard: a forbidden import is detected."""
    sample = tmp_path / "bad.py"
    sample.write_text("import js\nfrom pyodide.ffi import to_js\nimport os\n")
    assert imported_modules(sample) == {"js", "pyodide.ffi", "os"}
