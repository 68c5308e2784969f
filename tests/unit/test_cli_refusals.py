"""The `cospai` command refuses settings it cannot use in one line, exit code 2, before it
starts anything: numbers in the environment that are not numbers, ports past 65535, an
address it cannot listen on, a data dir where no PostgreSQL can live. Usage mistakes are
argparse's (exit 2, usage on stderr).

Run in this process (tests/support/cli.py), since each refusal comes before anything
starts; tests/unit/test_cli.py runs the real command for what only a process shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import InProcessCli
from tests.support.paths import DIST
from tests.unit.test_cli import UNREACHABLE, assert_one_line_error


def serve_args(data: Path, *more: str) -> list[str]:
    return ["serve", "--data-dir", str(data), "--dist-dir", str(DIST), "--port", "0", *more]


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({"COSPAI_PORT": "eighty"}, "COSPAI_PORT must be a whole number, not 'eighty'"),
        ({"COSPAI_POOL_MAX": "1.5"}, "COSPAI_POOL_MAX must be a whole number"),
        ({"COSPAI_SANDBOX_PORT": "-1"}, "COSPAI_SANDBOX_PORT must be a whole number"),
        ({"COSPAI_SHARE_PORT": "0x1f90"}, "COSPAI_SHARE_PORT must be a whole number"),
        ({"COSPAI_WEBCONTAINER_TIMEOUT_MS": "20s"}, "COSPAI_WEBCONTAINER_TIMEOUT_MS must be"),
        ({"COSPAI_WORKERS": "two"}, "COSPAI_WORKERS must be a whole number, not 'two'"),
        ({"COSPAI_POOL_MAX": "0"}, "COSPAI_POOL_MAX must be at least 1, not 0"),
        ({"COSPAI_SHARE_PORT": "70000"}, "the share port"),
        (["--port", "65536"], "the port (--port, COSPAI_PORT) must be 0 to 65535"),
        (["--port", "-80"], "not -80"),
        (["--sandbox-port", "99999"], "the sandbox port"),
        (["--workers", "-2"], "--workers must be 1 or more, not -2"),
    ],
)
def test_serve_names_the_setting_it_cannot_use(
    cospai_cli: InProcessCli, tmp_path: Path, given: dict[str, str] | list[str], words: str
) -> None:
    """`given`: environment variables, or options (no --port by default: COSPAI_PORT must
    be read)."""
    data = tmp_path / "data"
    args = ["serve", "--data-dir", str(data), "--dist-dir", str(DIST)]
    options, env = (given, {}) if isinstance(given, list) else ([], given)
    result = cospai_cli(*args, *options, database_url=UNREACHABLE, extra_env=env)
    assert_one_line_error(result, words)
    assert not data.exists()  # refused before anything was made


def test_migrate_reads_the_same_variables(cospai_cli: InProcessCli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = cospai_cli("migrate", "--data-dir", str(data), extra_env={"COSPAI_PORT": "80 80"})
    assert_one_line_error(result, "COSPAI_PORT must be a whole number, not '80 80'")
    assert not data.exists()


def test_an_address_of_another_machine_cannot_be_listened_on(
    cospai_cli: InProcessCli, tmp_path: Path
) -> None:
    # 192.0.2.0/24 is TEST-NET-1: never an address of this machine.
    result = cospai_cli(
        *serve_args(tmp_path / "data", "--host", "192.0.2.7"), database_url=UNREACHABLE
    )
    line = assert_one_line_error(result, "cannot listen on 192.0.2.7:0")
    assert "assign" in line.lower()  # the system's reason, in words
    assert "secret" not in line


def test_a_data_dir_where_postgres_cannot_live(
    cospai_cli: InProcessCli, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "postgres").write_text("a file where the cluster's folder should be")
    result = cospai_cli("migrate", "--data-dir", str(data))
    line = assert_one_line_error(result, "cannot start the embedded PostgreSQL in")
    assert str(data / "postgres") in line
    # One line: no warning about "processes that died" when there is no list of them.
    assert "forgetting" not in result.stderr + caplog.text
    assert (data / "postgres").read_text().startswith("a file where")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["serve", "--port", "eighty"], "argument --port: invalid int value: 'eighty'"),
        (["serve", "--log-level", "loud"], "argument --log-level: invalid choice: 'loud'"),
        (["serve", "--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["create-user"], "the following arguments are required: --email"),
        (["launch"], "invalid choice: 'launch'"),
    ],
)
def test_usage_mistakes_are_argparse_errors(
    cospai_cli: InProcessCli, args: list[str], words: str
) -> None:
    result = cospai_cli(*args, database_url=UNREACHABLE)
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert result.stderr.startswith("usage: cospai"), result.stderr
    assert words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_create_user_help(cospai_cli: InProcessCli) -> None:
    result = cospai_cli("create-user", "--help")
    assert result.returncode == 0, result.stderr
    for text in ("--email", "--name", "--password-stdin", "--data-dir", "standard input"):
        assert text in result.stdout, text
