"""The Starlette application: routes, middleware, and the lifespan that owns the pool."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, cast

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.requests import Request
from starlette.routing import Match, Mount, Route, Router
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from server import db, migrate
from server.errors import HANDLERS, ApiError
from server.headers import IsolationHeaders
from server.hosts import AllowedHosts
from server.mirror.context import open_mirror
from server.mirror.cors import Preflight
from server.routes import auth as auth_routes
from server.routes import embed as embed_routes  # embeds (issue 8)
from server.routes import files, meta, projects, revisions, transfer
from server.routes import mirror as mirror_routes  # the package mirror (issue 16)
from server.routes import runtime as runtime_routes  # runtime engines' settings (issue 7)
from server.routes import shares as share_routes  # share links (issue 7)
from server.routes.health import health
from server.sandbox_site import SandboxSite, SplitByOrigin
from server.settings import Settings
from server.share_site import ShareSite
from server.static import DistSite

if TYPE_CHECKING:
    from uvicorn._types import ASGI3Application


async def _api_not_found(request: Request) -> None:
    # Starlette prefers this catch-all's full match over a route that matched the path but
    # not the method; answer 405 with Allow for those, as HTTP asks.
    allowed: set[str] = set()
    for route in _API_ROUTES:
        match, _ = route.matches({**request.scope, "path": request.scope["path"]})
        if match is Match.PARTIAL and isinstance(route, Route) and route.methods:
            allowed |= route.methods
    if allowed:
        raise ApiError(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed on {request.url.path}",
            {"allow": sorted(allowed)},
        )
    raise ApiError(404, "not_found", f"No API route {request.method} {request.url.path}")


_API_ROUTES = [
    Route("/health", health, methods=["GET"]),
    *meta.ROUTES,
    *runtime_routes.ROUTES,
    *auth_routes.ROUTES,
    *transfer.ROUTES,  # before projects: /projects/import is not a project id
    *projects.ROUTES,
    *files.ROUTES,
    *revisions.ROUTES,
    *share_routes.ROUTES,
    *embed_routes.ROUTES,
    *mirror_routes.ROUTES,
]


def create_app(
    settings: Settings,
    *,
    database_url: str,
    run_migrations: bool = True,
    site: DistSite | None = None,
) -> ASGIApp:
    """Build the app. Raises DistMissing at once when dist/ has not been built."""
    site = site or DistSite(settings.dist_dir)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[dict[str, object]]:
        if run_migrations:
            await anyio.to_thread.run_sync(migrate.apply, database_url)
        pool = db.make_pool(database_url, settings.pool_min, settings.pool_max)
        async with pool, open_mirror(settings.mirror, pool, database_url) as mirror:
            yield {"pool": pool, "site": site, "settings": settings, "mirror": mirror}

    api_methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    routes = [
        # JSON compresses well (a project load is mostly source text); binary and zips
        # pass through as they are. The static site is precompressed at build time instead.
        Mount(
            "/api",
            app=GZipMiddleware(
                # The mirror answers browsers' CORS preflights itself (server/mirror/cors.py).
                Preflight(
                    Router(
                        [*_API_ROUTES, Route("/{rest:path}", _api_not_found, methods=api_methods)]
                    )
                ),
                # Level 1: a 10 MB project load compresses in ~80 ms instead of ~900 ms at the
                # default 9, for a body about a quarter larger.
                minimum_size=1024,
                compresslevel=1,
                exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/octet-stream"),
            ),
        ),
        Route("/{path:path}", site.handle, methods=["GET", "HEAD"]),
    ]
    # Only the configured host names reach the IDE app's routes (server/hosts.py).
    app = Starlette(
        routes=routes,
        exception_handlers=HANDLERS,
        lifespan=lifespan,
        middleware=[Middleware(AllowedHosts, settings=settings)],
    )
    # Outside Starlette's own error middleware, so even a 500 carries the isolation headers.
    ide: ASGIApp = IsolationHeaders(app)
    if settings.sandbox_port is not None or settings.sandbox_host:
        # The sandbox origin's requests never reach the IDE app (server/sandbox_site.py).
        ide = SplitByOrigin(
            ide, SandboxSite(site), settings.sandbox_port or 0, settings.sandbox_host
        )
    if settings.share_port is not None or settings.share_host:
        # Nor do the share origin's (server/share_site.py): published links only.
        ide = SplitByOrigin(ide, ShareSite(), settings.share_port or 0, settings.share_host)
    if settings.forwarded_allow_ips:
        # Behind a reverse proxy: X-Forwarded-For/-Proto from these addresses give the
        # client's address (rate limits) and scheme (Secure cookies, the Origin check).
        # Here rather than in uvicorn's config, so every process and the tests get it.
        ide = _behind_proxies(ide, list(settings.forwarded_allow_ips))
    return ide


def _behind_proxies(app: ASGIApp, trusted: list[str]) -> ASGIApp:
    # One protocol, two spellings: uvicorn types ASGI messages as TypedDicts, Starlette as
    # plain mappings; neither side's type accepts the other's, so the hand-over is cast.
    proxied = ProxyHeadersMiddleware(cast("ASGI3Application", app), trusted)
    return cast(ASGIApp, proxied)


def app_from_env() -> ASGIApp:
    """The app as a worker process of `cospai serve --workers N` builds it (uvicorn factory):
    everything comes from the environment the parent prepared, migrations already done."""
    settings = Settings.from_env()
    if not settings.database_url:
        raise RuntimeError("app_from_env needs DATABASE_URL (set by `cospai serve`)")
    return create_app(settings, database_url=settings.database_url, run_migrations=False)
