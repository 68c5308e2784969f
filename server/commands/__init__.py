"""The `cospai` subcommands, one module each: serve, migrate, create_user. server/cli.py
parses the command line and calls their `run`. Every failure a user can cause (no build,
port taken, bad data dir or database URL) ends in a CliError, one line that says what to
do next."""

from __future__ import annotations


class CliError(Exception):
    """A failure with a one-line explanation for the user."""
