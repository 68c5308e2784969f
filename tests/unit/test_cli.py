"""The `cospai` command in a subprocess: help texts, and one-line failures with exit code 2."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.paths import DIST

UNREACHABLE = "postgresql://u:secret@127.0.0.1:1/x"


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, one `cospai: error:` line on stderr, nothing on stdout, no traceback."""
    assert result.returncode == 2, result
    line = result.stderr.strip()
    assert "\n" not in line, result.stderr
    assert line.startswith("cospai: error:"), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    for needle in needles:
        assert needle in line, (needle, line)
    return line


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 that another socket is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def test_help() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for text in ("serve", "migrate", "create-user", "DATABASE_URL", "COSPAI_DATA_DIR"):
        assert text in result.stdout, text


def test_serve_help() -> None:
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    for text in ("--host", "--port", "--data-dir", "--dist-dir", "--log-level", "DATABASE_URL"):
        assert text in result.stdout, text
    for text in (
        "--share-port",
        "--share-host",
        "--embed-origins",
        "COSPAI_SHARE_PORT",
        "COSPAI_EMBED_ORIGINS",
    ):
        assert text in result.stdout, text


def test_migrate_help() -> None:
    result = run_cli("migrate", "--help")
    assert result.returncode == 0
    for text in ("--status", "--data-dir", "DATABASE_URL"):
        assert text in result.stdout, text


def test_no_command_is_a_usage_error() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "usage: cospai" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_a_build(tmp_path: Path) -> None:
    empty = tmp_path / "dist"
    empty.mkdir()
    result = run_cli(
        "serve",
        "--dist-dir",
        str(empty),
        "--data-dir",
        str(tmp_path / "data"),
        "--port",
        "0",
        database_url=UNREACHABLE,
    )
    assert_one_line_error(result, "python build.py", str(empty))
    # It failed before touching anything else.
    assert not (tmp_path / "data").exists()


def test_serve_port_in_use(tmp_path: Path, busy_port: int) -> None:
    result = run_cli(
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(busy_port),
        "--dist-dir",
        str(DIST),
        "--data-dir",
        str(tmp_path / "data"),
        database_url=UNREACHABLE,
    )
    line = assert_one_line_error(result, str(busy_port), "in use")
    assert "secret" not in line


@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_unwritable_data_dir(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a regular file, so nothing can be created under it")
    data = blocker / "data"
    extra = ["--port", "0", "--dist-dir", str(DIST)] if command == "serve" else []
    result = run_cli(command, "--data-dir", str(data), *extra)
    assert_one_line_error(result, str(data), "not writable")
    assert blocker.read_text().startswith("a regular file")


@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_unparsable_database_url(tmp_path: Path, command: str) -> None:
    extra = ["--port", "0", "--dist-dir", str(DIST)] if command == "serve" else []
    result = run_cli(
        command, "--data-dir", str(tmp_path / "data"), *extra, database_url="not a url ==="
    )
    assert_one_line_error(result, "bad database URL", "<unparsable database URL>", 'missing "="')


@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_unreachable_database_url(tmp_path: Path, command: str) -> None:
    extra = ["--port", "0", "--dist-dir", str(DIST)] if command == "serve" else []
    result = run_cli(
        command, "--data-dir", str(tmp_path / "data"), *extra, database_url=UNREACHABLE
    )
    line = assert_one_line_error(result, "cannot connect to", "postgresql://u:***@127.0.0.1:1/x")
    assert "refused" in line.lower()
    assert "secret" not in result.stdout + result.stderr
    # With DATABASE_URL set, no embedded server was started in the data dir.
    assert not (tmp_path / "data").exists()
