"""`cospai create-user`: an account made from the command line, then signed in."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.api import PASSWORD, expect_error
from tests.support.databases import query
from tests.support.paths import ROOT

from .conftest import Fresh


def create_user(database_url: str, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "create-user", "--password-stdin", *args],
        cwd=ROOT,
        env=env,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 2, result
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("cospai: error:"), result.stderr
    assert "Traceback" not in result.stderr
    assert needle in line, line


def test_cli_create_user_can_then_sign_in(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    result = create_user(
        database_url,
        "--email",
        " Cli.User@Example.com ",
        "--name",
        "Cli",
        password="  spaces count too  ",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    line = result.stdout.strip()
    assert line.startswith("created user cli.user@example.com (")
    user_id = line.rsplit("(", 1)[1].rstrip(")")
    client = new_api()
    response = client.signin("CLI.user@example.com", "  spaces count too  ")
    assert response.status_code == 200, response.text
    user = response.json()["user"]
    assert (user["id"], user["email"], user["display_name"]) == (
        user_id,
        "cli.user@example.com",
        "Cli",
    )
    assert client.get("/api/projects").json() == {"projects": []}
    expect_error(
        new_api().signin("cli.user@example.com", "spaces count too"), 401, "invalid_credentials"
    )
    stored = query(database_url, "SELECT password_hash FROM users")
    assert len(stored) == 1 and stored[0][0].startswith("$argon2id$")


def test_cli_create_user_refuses_a_taken_email(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    new_api().signup("Taken@Example.com")
    result = create_user(database_url, "--email", "TAKEN@example.com", password=PASSWORD)
    assert_one_line_error(result, "taken@example.com exists already")
    assert query(database_url, "SELECT count(*) FROM users") == [(1,)]


def test_cli_create_user_refuses_bad_input(fresh: Fresh) -> None:
    database_url = fresh.url
    for email, password, needle in (
        ("not-an-email", PASSWORD, "is not an email address"),
        ("a@b", PASSWORD, "is not an email address"),
        ("short@example.com", "1234567", "at least 8 characters"),
        ("empty@example.com", "", "at least 8 characters"),
    ):
        result = create_user(database_url, "--email", email, password=password)
        assert_one_line_error(result, needle)
    # Refused before the database was touched: not even migrated.
    assert query(database_url, "SELECT to_regclass('users') IS NULL") == [(True,)]
