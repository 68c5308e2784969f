"""The `cospai` command line: serve the IDE, manage the database schema, create accounts.

The subcommands live in server/commands/; every failure a user can cause ends in one line
on stderr that says what to do, and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from server.commands import CliError, create_user, migrate, serve
from server.commands import mirror as mirror_command
from server.settings import DEFAULT_HOST, DEFAULT_PORT, SettingsError

EXIT_USAGE = 2


_ENVIRONMENT = (
    "Environment: DATABASE_URL (a PostgreSQL URL; unset = an embedded server in the "
    "data dir), COSPAI_HOST, COSPAI_PORT, COSPAI_DATA_DIR, COSPAI_DIST_DIR, "
    "COSPAI_POOL_MAX, COSPAI_SANDBOX_PORT, COSPAI_SANDBOX_HOST, COSPAI_SHARE_PORT, "
    "COSPAI_SHARE_HOST, COSPAI_EMBED_ORIGINS, COSPAI_WEBCONTAINER_API_KEY (StackBlitz's key "
    "for the WebContainer runtime), COSPAI_WEBCONTAINER_TIMEOUT_MS (how long the browser "
    "waits for it to boot, default 20000), COSPAI_SIGNUPS_PER_HOUR (sign-ups one address "
    "may make in an hour before each waits, default 30), COSPAI_ALLOWED_HOSTS, "
    "COSPAI_FORWARDED_ALLOW_IPS, COSPAI_NPM_UPSTREAM and COSPAI_PYPI_UPSTREAM (the package "
    "mirror's upstreams: a URL, or 'none'; unset = the machine's npm and pip settings), "
    "COSPAI_MIRROR_MAX_FILE_MB (default 200), COSPAI_MIRROR_MAX_METADATA_MB (default 64), "
    "COSPAI_MIRROR_METADATA_TTL (seconds, default 300), COSPAI_MIRROR_REQUESTS_PER_MINUTE "
    "(per address, default 6000). "
    "Command-line options win over the environment."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cospai",
        description="CosPAI IDE server: serves dist/ and the /api backend on PostgreSQL.",
        epilog=_ENVIRONMENT,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve the IDE",
        description="Serve dist/ and the API; migrate first.",
        epilog=_ENVIRONMENT,
    )
    serve.add_argument("--host", help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument(
        "--port", type=int, help=f"port to listen on, 0 for any free one (default {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--sandbox-port",
        type=int,
        help="port of the sandbox origin, where user code runs (the runtime, "
        "previews), 0 for any free one (default: --port + 1)",
    )
    serve.add_argument(
        "--sandbox-host",
        help="host name (or whole origin) of the sandbox, {project} standing "
        "for a project's key, e.g. '{project}.sandbox.example.com' (one "
        "wildcard DNS name: a site per project); default: "
        "'{project}.localhost' for an IDE on a loopback address",
    )
    serve.add_argument(
        "--share-port",
        type=int,
        help="port of the share origin that serves share links (/s/<token>/), "
        "0 for any free one (default: --port + 2)",
    )
    serve.add_argument(
        "--share-host",
        help="host name (or whole origin) of share links; default: another "
        "site than the IDE's (localhost <-> 127.0.0.1)",
    )
    serve.add_argument(
        "--embed-origins",
        help="comma-separated origins of pages allowed to embed /embed and "
        "drive it by postMessage (default: any page may frame it; the "
        "embed's origins= parameter names who may drive it)",
    )
    serve.add_argument(
        "--allowed-hosts",
        help="comma-separated host names the IDE answers to; other Host headers "
        "get 400 (DNS rebinding). '*' = any, '*.example.com' = its "
        "subdomains. Default: the --host value, plus 127.0.0.1, localhost "
        "and [::1] when that is a loopback or wildcard address",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        help="comma-separated addresses (or networks) of reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed: rate limits "
        "then key on the client's address, and the session cookie is "
        "Secure when the client used https. '*' = any. Default: none",
    )
    serve.add_argument(
        "--npm-upstream",
        metavar="URL",
        help="registry the package mirror fetches npm packages from, or 'none' (only what is "
        "kept or seeded is served); default: this machine's npm registry setting "
        "(npm config get registry)",
    )
    serve.add_argument(
        "--pypi-upstream",
        metavar="URL",
        help="simple index the package mirror fetches Python packages from, or 'none'; "
        "default: this machine's pip index setting (PIP_INDEX_URL, pip.conf's index-url, "
        "or pip's default)",
    )
    _common(serve)
    serve.add_argument("--dist-dir", type=Path, help="the built site (default: dist/)")
    serve.add_argument(
        "--workers", type=int, help="server processes sharing the port (default 1; COSPAI_WORKERS)"
    )
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )

    mig = commands.add_parser(
        "migrate",
        help="apply database migrations",
        description="Apply pending SQL migrations (each once, in order, in a transaction).",
        epilog=_ENVIRONMENT,
    )
    mig.add_argument(
        "--status",
        action="store_true",
        help="list migrations and when each was applied; change nothing",
    )
    _common(mig)
    user = commands.add_parser(
        "create-user",
        help="create an account",
        description="Create an account from the command line. The password is read from "
        "standard input (--password-stdin) or asked for at the terminal.",
    )
    user.add_argument("--email", required=True, help="the account's email (its sign-in name)")
    user.add_argument("--name", default="", help="display name")
    user.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    _common(user)
    mirror_command.add_parser(commands)
    return parser


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--data-dir",
        type=Path,
        help="where the embedded PostgreSQL and other state live (default: .cospai-data/)",
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="cospai: %(levelname)s: %(message)s")
    try:
        if args.command == "serve":
            return serve.run(args)
        if args.command == "create-user":
            return create_user.run(args)
        if args.command == "mirror":
            return mirror_command.run(args)
        return migrate.run(args)
    except (CliError, SettingsError) as error:
        print(f"cospai: error: {error}", file=sys.stderr, flush=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
