"""The `cospai` command: serve the IDE, manage the database schema.

Every failure a user can cause (no build, port taken, bad data dir or database URL) ends
in one line on stderr that says what to do, and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

from server import db, migrate
from server.embedded_pg import EmbeddedPostgres, EmbeddedPostgresError
from server.settings import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    Settings,
    SettingsError,
    name_list,
    origin_list,
)
from server.static import DistMissing, DistSite

if TYPE_CHECKING:
    from server.repo.users import User

EXIT_USAGE = 2


class _ServerOptions(TypedDict):
    """What `serve` hands uvicorn.Config, whether it runs one process or several."""

    log_level: str
    lifespan: Literal["auto", "on", "off"]
    server_header: bool
    proxy_headers: bool
    access_log: bool


class CliError(Exception):
    """A failure with a one-line explanation for the user."""


_ENVIRONMENT = (
    "Environment: DATABASE_URL (a PostgreSQL URL; unset = an embedded server in the "
    "data dir), COSPAI_HOST, COSPAI_PORT, COSPAI_DATA_DIR, COSPAI_DIST_DIR, "
    "COSPAI_POOL_MAX, COSPAI_SANDBOX_PORT, COSPAI_SANDBOX_HOST, COSPAI_SHARE_PORT, "
    "COSPAI_SHARE_HOST, COSPAI_EMBED_ORIGINS, COSPAI_WEBCONTAINER_API_KEY (StackBlitz's key "
    "for the WebContainer runtime), COSPAI_WEBCONTAINER_TIMEOUT_MS (how long the browser "
    "waits for it to boot, default 20000), COSPAI_SIGNUPS_PER_HOUR (sign-ups one address "
    "may make in an hour before each waits, default 30), COSPAI_ALLOWED_HOSTS, "
    "COSPAI_FORWARDED_ALLOW_IPS. "
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
    return parser


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--data-dir",
        type=Path,
        help="where the embedded PostgreSQL and other state live (default: .cospai-data/)",
    )


def _prepare_data_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        raise CliError(f"data dir {path} is not writable: {error.strerror or error}") from error


@contextmanager
def _database(settings: Settings) -> Iterator[tuple[str, str]]:
    """Yield (url, description): DATABASE_URL's server, or an embedded one we start and stop."""
    if settings.database_url:
        yield settings.database_url, db.redact(settings.database_url)
        return
    _prepare_data_dir(settings.data_dir)
    embedded = EmbeddedPostgres(settings.data_dir)
    try:
        url = embedded.start()
    except EmbeddedPostgresError as error:
        raise CliError(str(error)) from error
    try:
        yield url, f"embedded PostgreSQL in {embedded.pgdata}"
    finally:
        embedded.stop()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP;
    # without it, a kept-alive connection's replies wait ~40 ms for delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise CliError(
                f"port {port} on {host} is already in use: stop the other server or pass --port"
            ) from error
        raise CliError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _exit_on_sigterm(_signum: int, _frame: object) -> None:
    # uvicorn re-raises SIGTERM after its graceful shutdown; left at its default, that kills
    # the process before `_database` stops the embedded PostgreSQL. Unwind and exit 0.
    raise SystemExit(0)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app

    signal.signal(signal.SIGTERM, _exit_on_sigterm)

    settings = Settings.from_env(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        dist_dir=args.dist_dir,
        sandbox_port=args.sandbox_port,
        sandbox_host=args.sandbox_host,
        share_port=args.share_port,
        share_host=args.share_host,
        embed_origins=origin_list(args.embed_origins) if args.embed_origins else None,
        allowed_hosts=name_list(args.allowed_hosts) if args.allowed_hosts else None,
        forwarded_allow_ips=name_list(args.forwarded_allow_ips)
        if args.forwarded_allow_ips
        else None,
    )
    try:
        # Read the build first: a missing dist/ should fail before a database starts.
        site = DistSite(settings.dist_dir)
    except DistMissing as error:
        raise CliError(str(error)) from error
    if not settings.database_url:
        _prepare_data_dir(settings.data_dir)
    sock = _bind(settings.host, settings.port)
    # The sandbox origin listens on its own socket (server/sandbox_site.py).
    sandbox_sock = _bind(settings.host, settings.sandbox_port_or_default)
    # And the share origin on a third (server/share_site.py).
    share_sock = _bind(settings.host, settings.share_port_or_default)
    settings = replace(
        settings,
        port=sock.getsockname()[1],
        sandbox_port=sandbox_sock.getsockname()[1],
        share_port=share_sock.getsockname()[1],
    )
    with _database(settings) as (url, description):
        try:
            version = db.check(url)
            migrate.apply(url)
        except db.DatabaseUnavailable as error:
            raise CliError(str(error)) from error
        except migrate.MigrationError as error:
            raise CliError(f"migrations: {error}") from error
        app = create_app(settings, database_url=url, run_migrations=False, site=site)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"CosPAI IDE serving at http://{shown}:{port}/", flush=True)
        print(f"  database: {description} (PostgreSQL {version})", flush=True)
        print(f"  build: {site.build_id} from {settings.dist_dir}", flush=True)
        print(f"  sandbox (user code) on port {settings.sandbox_port}", flush=True)
        print(f"  share links on port {settings.share_port}", flush=True)
        workers = args.workers or int(os.environ.get("COSPAI_WORKERS", "1"))
        options: _ServerOptions = {
            "log_level": args.log_level,
            "lifespan": "on",
            "server_header": False,
            "proxy_headers": False,
            "access_log": args.log_level == "debug",
        }
        if workers > 1:
            return _serve_workers(settings, url, workers, [sock, sandbox_sock, share_sock], options)
        server = uvicorn.Server(uvicorn.Config(app, **options))
        server.run(sockets=[sock, sandbox_sock, share_sock])
        return 0 if server.started else 1


def _serve_workers(
    settings: Settings,
    url: str,
    workers: int,
    socks: list[socket.socket],
    options: _ServerOptions,
) -> int:
    """N processes on one listening socket. Sessions, throttling and migrations live in
    PostgreSQL, so the processes need to share nothing else."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ.update(
        {
            "DATABASE_URL": url,
            "COSPAI_DIST_DIR": str(settings.dist_dir),
            "COSPAI_DATA_DIR": str(settings.data_dir),
            "COSPAI_POOL_MAX": str(settings.pool_max),
            "COSPAI_SANDBOX_PORT": str(settings.sandbox_port),
            "COSPAI_SHARE_PORT": str(settings.share_port),
        }
    )
    if settings.sandbox_host:
        os.environ["COSPAI_SANDBOX_HOST"] = settings.sandbox_host
    if settings.share_host:
        os.environ["COSPAI_SHARE_HOST"] = settings.share_host
    if settings.embed_origins:
        os.environ["COSPAI_EMBED_ORIGINS"] = ",".join(settings.embed_origins)
    # The workers default their allowed hosts from the host the parent was started for.
    os.environ["COSPAI_HOST"] = settings.host
    if settings.allowed_hosts:
        os.environ["COSPAI_ALLOWED_HOSTS"] = ",".join(settings.allowed_hosts)
    if settings.forwarded_allow_ips:
        os.environ["COSPAI_FORWARDED_ALLOW_IPS"] = ",".join(settings.forwarded_allow_ips)
    config = uvicorn.Config("server.app:app_from_env", factory=True, workers=workers, **options)
    Multiprocess(config, sockets=socks).run()
    return 0


def _migrate(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_dir=args.data_dir)
    with _database(settings) as (url, description):
        try:
            db.check(url)
            if args.status:
                rows = migrate.status(url)
                print(f"migrations on {description}:")
                for row in rows:
                    at = row.applied_at
                    when = at.isoformat(timespec="seconds") if at else "pending"
                    print(f"  {row.version:04d}_{row.name:<32} {when}")
                return 0
            applied = migrate.apply(url)
        except db.DatabaseUnavailable as error:
            raise CliError(str(error)) from error
        except migrate.MigrationError as error:
            raise CliError(f"migrations: {error}") from error
    if applied:
        for migration in applied:
            print(f"applied {migration.version:04d}_{migration.name}")
    else:
        print("nothing to apply: the schema is up to date")
    return 0


async def _insert_user(url: str, email: str, name: str, hashed: str) -> User | None:
    import psycopg

    from server.repo import users

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        try:
            return await users.create(conn, email, name, hashed)
        except users.EmailTaken:
            return None


def _create_user(args: argparse.Namespace) -> int:
    import getpass

    from server import passwords
    from server.bodies import convert
    from server.errors import ApiError
    from server.models.requests import SignUp

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise CliError("the two passwords differ")
    fields = {"email": args.email, "password": password, "display_name": args.name}
    try:  # the rules of POST /api/auth/signup
        account = convert(fields, SignUp)
    except ApiError as error:
        raise CliError(error.message) from None
    email = account.email
    settings = Settings.from_env(data_dir=args.data_dir)
    with _database(settings) as (url, _description):
        try:
            db.check(url)
            migrate.apply(url)
            hashed = passwords.hash_password(account.password)
            user = asyncio.run(_insert_user(url, email, account.display_name or "", hashed))
        except db.DatabaseUnavailable as error:
            raise CliError(str(error)) from error
        except migrate.MigrationError as error:
            raise CliError(f"migrations: {error}") from error
    if user is None:
        raise CliError(f"an account with the email {email} exists already")
    print(f"created user {email} ({user.id})")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="cospai: %(levelname)s: %(message)s")
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "create-user":
            return _create_user(args)
        return _migrate(args)
    except (CliError, SettingsError) as error:
        print(f"cospai: error: {error}", file=sys.stderr, flush=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
