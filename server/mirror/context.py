"""What every mirror request needs, made once per process in the app's lifespan: the
settings, the pool, the database URL (for the connections that hold a fetch lock), the
HTTP client to the upstreams, which upstreams there are, and the single flights."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from psycopg_pool import AsyncConnectionPool

from server.mirror.config import MirrorSettings
from server.mirror.fetcher import Fetcher, new_client
from server.mirror.flights import SingleFlight
from server.mirror.hot_docs import HotDocs
from server.mirror.hot_files import HotFiles
from server.mirror.upstreams import UpstreamResolver


@dataclass
class Mirror:
    settings: MirrorSettings
    pool: AsyncConnectionPool
    database_url: str
    fetcher: Fetcher
    upstreams: UpstreamResolver
    flights: SingleFlight = field(default_factory=SingleFlight)
    hot: HotFiles = field(default_factory=HotFiles)
    hot_docs: HotDocs = field(default_factory=HotDocs)
    # ecosystem -> time.monotonic() until which a failed upstream is not asked for what is kept
    upstream_rests_until: dict[str, float] = field(default_factory=dict)


@asynccontextmanager
async def open_mirror(
    settings: MirrorSettings, pool: AsyncConnectionPool, database_url: str
) -> AsyncIterator[Mirror]:
    async with new_client() as client:
        yield Mirror(settings, pool, database_url, Fetcher(client), UpstreamResolver(settings))
