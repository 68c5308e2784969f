"""`cospai serve`: the IDE, its sandbox and its share links, each origin on its own socket,
in one process or several sharing them."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
from dataclasses import replace
from typing import Literal, TypedDict

from server import db, migrate
from server.commands import CliError
from server.commands.database import database, database_errors, prepare_data_dir
from server.environment import SettingsError, whole_number
from server.mirror.config import MirrorSettings
from server.settings import Settings, name_list, origin_list
from server.static import DistMissing, DistSite


class _ServerOptions(TypedDict):
    """What `serve` hands uvicorn.Config, whether it runs one process or several."""

    log_level: str
    lifespan: Literal["auto", "on", "off"]
    server_header: bool
    proxy_headers: bool
    access_log: bool


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


def run(args: argparse.Namespace) -> int:
    """`cospai serve`: check the build, bind the three origins' sockets, migrate, serve."""
    import uvicorn

    from server.app import create_app

    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    mirror = MirrorSettings.from_env(
        os.environ, npm_upstream=args.npm_upstream, pypi_upstream=args.pypi_upstream
    )

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
        mirror=mirror,
    )
    workers = args.workers or whole_number(os.environ, "COSPAI_WORKERS", 1)
    if workers < 1:
        raise SettingsError(f"--workers must be 1 or more, not {workers}")
    try:
        # Read the build first: a missing dist/ should fail before a database starts.
        site = DistSite(settings.dist_dir)
    except DistMissing as error:
        raise CliError(str(error)) from error
    if not settings.database_url:
        prepare_data_dir(settings.data_dir)
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
    with database(settings) as (url, description):
        with database_errors():
            version = db.check(url)
            migrate.apply(url)
        app = create_app(settings, database_url=url, run_migrations=False, site=site)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"CosPAI IDE serving at http://{shown}:{port}/", flush=True)
        print(f"  database: {description} (PostgreSQL {version})", flush=True)
        print(f"  build: {site.build_id} from {settings.dist_dir}", flush=True)
        print(f"  sandbox (user code) on port {settings.sandbox_port}", flush=True)
        print(f"  share links on port {settings.share_port}", flush=True)
        print("  package mirror at /api/mirror/npm/ and /api/mirror/pypi/simple/", flush=True)
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
    os.environ.update(settings.mirror.as_env())
    # The workers default their allowed hosts from the host the parent was started for.
    os.environ["COSPAI_HOST"] = settings.host
    if settings.allowed_hosts:
        os.environ["COSPAI_ALLOWED_HOSTS"] = ",".join(settings.allowed_hosts)
    if settings.forwarded_allow_ips:
        os.environ["COSPAI_FORWARDED_ALLOW_IPS"] = ",".join(settings.forwarded_allow_ips)
    config = uvicorn.Config("server.app:app_from_env", factory=True, workers=workers, **options)
    Multiprocess(config, sockets=socks).run()
    return 0
