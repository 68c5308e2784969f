"""The mirror's file steps: a tarball or wheel is served from storage when kept; otherwise
it is fetched from the upstream once, however many ask at the same moment (a single
flight in this process, PostgreSQL's advisory lock across processes), checked against
every hash its metadata gives, and kept only when it passes. The bytes then go to every
asker from storage, one chunk at a time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Literal

from server.errors import ApiError
from server.mirror.context import Mirror
from server.mirror.fetcher import UpstreamError, UpstreamMissing
from server.mirror.integrity import IntegrityError, expected_from_json
from server.repo import mirror_files
from server.repo.mirror_files import CHUNK_BYTES, KeptFile
from server.services.mirror_docs import find_source

Ecosystem = Literal["npm", "pypi"]
log = logging.getLogger("cospai.mirror")


async def kept_file(mirror: Mirror, ecosystem: Ecosystem, package: str, name: str) -> KeptFile:
    """The file, kept (fetching it first when it is not)."""
    key = (ecosystem, package, name)
    if (kept := mirror.hot.kept(key)) is not None:
        return kept
    async with mirror.pool.connection() as conn:
        kept = await mirror_files.find(conn, ecosystem, package, name)
    if kept is not None:
        mirror.hot.remember(key, kept)
        return kept
    return await mirror.flights.run(
        ("file", ecosystem, package, name), lambda: _fetch_once(mirror, ecosystem, package, name)
    )


async def _fetch_once(mirror: Mirror, ecosystem: Ecosystem, package: str, name: str) -> KeptFile:
    source = await find_source(mirror, ecosystem, package, name)
    upstream = await mirror.upstreams.get(ecosystem)
    url = source.get("url")
    if upstream.url is None or not isinstance(url, str):
        raise ApiError(
            503,
            "not_mirrored",
            f"{name} is not kept by this mirror, and there is no {ecosystem} upstream to "
            f"fetch it from ({upstream.origin}).",
        )
    async with mirror_files.fetch_lock(mirror.database_url, f"{ecosystem}:{package}:{name}"):
        async with mirror.pool.connection() as conn:
            kept = await mirror_files.find(conn, ecosystem, package, name)
        if kept is not None:  # another process fetched it while this one waited
            return kept
        try:
            spool = await mirror.fetcher.download(
                url, expected_from_json(source), mirror.settings.max_file_bytes
            )
        except IntegrityError as error:
            log.warning("refused %s from %s: %s", name, url, error.message)
            raise ApiError(502, error.code, error.message, {"file": name}) from None
        except UpstreamMissing:
            raise ApiError(404, "not_found", f"The upstream has no file {name}.") from None
        except UpstreamError as error:
            raise ApiError(error.status, error.code, error.message, {"file": name}) from None
        try:
            async with mirror.pool.connection() as conn:
                return await mirror_files.store(
                    conn,
                    ecosystem,
                    package,
                    name,
                    spool.sha256,
                    spool.size,
                    spool.chunks(CHUNK_BYTES),
                )
        finally:
            spool.close()


async def chunks(mirror: Mirror, kept: KeptFile) -> AsyncIterator[bytes]:
    """The kept bytes in order; a connection is held only while one chunk is read. A
    one-chunk file is read from memory after its first reader (server/mirror/hot_files.py)."""
    if kept.chunks == 1 and (data := mirror.hot.data(kept.sha256)) is not None:
        yield data
        return
    for seq in range(kept.chunks):
        async with mirror.pool.connection() as conn:
            block = await mirror_files.read_chunk(conn, kept.sha256, seq)
        if kept.chunks == 1:
            mirror.hot.hold(kept.sha256, block)
        yield block
