"""Rules 1-4 of ARCHITECTURE.md, enforced on the source tree. contract/ is the one package
both sides import (what they must agree on); it imports only the standard library. Rule 4:
routes call auth, services and repos; SQL, transactions and the driver stay below them."""

from __future__ import annotations

import ast
import re
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


# --------------------------------------------------------------- rule 4: thin routes

ROUTES = ROOT / "server" / "routes"
# SQL as this code base writes it (keywords in capitals), in any string or f-string part.
SQL = re.compile(
    r"\b(SELECT\s+\S|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|SET\s+TRANSACTION"
    r"|SET\s+(LOCAL|SESSION)\s|FOR\s+UPDATE|(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|TRUNCATE)\b"
    r"|(CREATE|DROP|ALTER)\s+(TABLE|INDEX|SCHEMA)|LOCK\s+TABLE)"
)
DATABASE_CALLS = {"execute", "executemany", "transaction", "cursor"}


def _is_driver(module: str) -> bool:
    top = module.split(".")[0]
    return top.startswith("psycopg") or top in {"asyncpg", "sqlalchemy", "sqlite3"}


def rule_four_offences(path: Path) -> list[str]:
    """What in `path` a thin route must not hold: a database driver or server.db imported,
    a connection's execute/transaction/cursor called, a string that reads as SQL."""
    offences = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        line = getattr(node, "lineno", 0)
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        offences += [
            f"{line}: imports {name}"
            for name in names
            if _is_driver(name) or name == "server.db" or name.startswith("server.db.")
        ]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in DATABASE_CALLS
        ):
            offences.append(f"{line}: calls .{node.func.attr}()")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL.search(node.value)
        ):
            offences.append(f"{line}: SQL {node.value[:24]!r}")
    return sorted(set(offences), key=lambda o: (int(o.split(":")[0]), o))


def test_routes_hold_no_sql_no_transaction_and_no_driver() -> None:
    offenders = {
        path.relative_to(ROOT).as_posix(): found
        for path in python_files(ROUTES)
        if (found := rule_four_offences(path))
    }
    assert offenders == {}


BAD_ROUTE = """\
import psycopg
from psycopg_pool import PoolTimeout
from server import db
async def handler(request, conn):
    async with conn.transaction():
        await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        await conn.execute(f"SELECT id FROM projects WHERE id = {1}")
    cur = conn.cursor()
    return "UPDATE projects SET name = %s", "DELETE FROM files"
"""
FINE_ROUTE = """\
from server import auth
from server.services import projects
ROUTES = [("/projects/{id}", "DELETE"), ("/x", "GET")]
async def handler(request):
    "Update to latest: select the files from the list, then delete from here."
    async with auth.session_connection(request) as (conn, session):
        return await projects.delete(conn, session.user.id, request.path_params["id"])
"""


def test_the_rule_four_checker_sees_each_offence(tmp_path: Path) -> None:
    """Guard the guard: every kind is caught, and ordinary route code is not."""
    bad, fine = tmp_path / "bad_route.py", tmp_path / "fine_route.py"
    bad.write_text(BAD_ROUTE)
    fine.write_text(FINE_ROUTE)
    assert rule_four_offences(bad) == [
        "1: imports psycopg",
        "2: imports psycopg_pool",
        "2: imports psycopg_pool.PoolTimeout",
        "3: imports server.db",
        "5: calls .transaction()",
        "6: SQL 'SET TRANSACTION ISOLATIO'",
        "6: calls .execute()",
        "7: SQL 'SELECT id FROM projects '",
        "7: calls .execute()",
        "8: calls .cursor()",
        "9: SQL 'DELETE FROM files'",
        "9: SQL 'UPDATE projects SET name'",
    ]
    assert rule_four_offences(fine) == []


def test_every_background_task_in_the_client_goes_through_spawn() -> None:
    """The rule behind ruff's RUF006, kept for tasks whose result is stored too: only
    client/core/tasks.py calls ensure_future or create_task. (Here, not in
    tests/unit/client: that suite also runs inside Pyodide, which has no source tree.)"""
    offenders = []
    for path in sorted((ROOT / "client").rglob("*.py")):
        if path == ROOT / "client" / "core" / "tasks.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Attribute) and node.attr in {"ensure_future", "create_task"}:
                offenders.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    assert offenders == []
