"""The mirror's metadata steps: a package's document is served from what is kept while it
is fresh (COSPAI_MIRROR_METADATA_TTL); after that the upstream is asked (revalidating by
ETag, once per process at a time) and its answer kept; when the upstream cannot be
reached, the kept copy is served however old, or the seeded one, and only when there is
neither does the client get 503 saying so. An upstream that says "no such package" is a
404 (unless the package was seeded)."""

from __future__ import annotations

import asyncio
import time
import zlib
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

import msgspec

from server.errors import ApiError
from server.mirror import npm_docs, pypi_docs
from server.mirror.context import Mirror
from server.mirror.documents import Prepared
from server.mirror.fetcher import MetaAnswer, UpstreamError, UpstreamMissing
from server.repo import mirror_meta
from server.repo.mirror_meta import MetaRow

Ecosystem = Literal["npm", "pypi"]
FULL, ABBREVIATED, PAGE, SEED = "full", "abbreviated", "page", "seed"
_NPM_ACCEPT = {
    FULL: "application/json",
    ABBREVIATED: f"{npm_docs.ABBREVIATED}; q=1.0, application/json; q=0.8, */*",
}
UPSTREAM_REST_S = 30.0
_OFF_LOOP = 64 * 1024  # compressed sizes past this are (de)compressed in a worker thread


@dataclass(frozen=True)
class Served:
    """A document to send (JSON with MARK links), its files' sources, and whether it is a
    kept copy the upstream could not confirm."""

    body: bytes
    sources: dict[str, dict[str, Any]]
    stale: bool = False


async def npm_document(mirror: Mirror, name: str, abbreviated: bool) -> Served:
    return await _document(mirror, "npm", name, ABBREVIATED if abbreviated else FULL)


async def pypi_document(mirror: Mirror, project: str) -> Served:
    """`project` in PEP 503's normalised form."""
    return await _document(mirror, "pypi", project, PAGE)


async def pypi_projects(mirror: Mirror) -> list[str]:
    async with mirror.pool.connection() as conn:
        return await mirror_meta.names(conn, "pypi")


async def find_source(
    mirror: Mirror, ecosystem: Ecosystem, package: str, filename: str
) -> dict[str, Any]:
    """Where a file comes from and what it must hash to, from the package's metadata."""
    async with mirror.pool.connection() as conn:
        kept = await mirror_meta.sources(conn, ecosystem, package)
    for packed in kept:
        found = (await _unpack_json(packed)).get(filename)
        if found is not None:
            return dict(found)
    if ecosystem == "npm":
        served = await npm_document(mirror, package, abbreviated=True)
    else:
        served = await pypi_document(mirror, package)
    if filename not in served.sources:
        raise ApiError(404, "not_found", f"The metadata of {package} lists no file {filename}.")
    return served.sources[filename]


async def _document(mirror: Mirror, ecosystem: Ecosystem, name: str, form: str) -> Served:
    key = (ecosystem, name, form)
    held = mirror.hot_docs.get(key)
    if isinstance(held, Served):
        return held
    async with mirror.pool.connection() as conn:
        kept = await mirror_meta.rows(conn, ecosystem, name)
    row = kept.get(form)
    if row is not None and row.age_s < mirror.settings.metadata_ttl_s:
        served = await _served(row)
        fresh_for = mirror.settings.metadata_ttl_s - row.age_s
        mirror.hot_docs.hold(key, served, len(served.body), fresh_for)
        return served
    upstream = await mirror.upstreams.get(ecosystem)
    # An upstream that just failed is left alone a while when a kept copy can answer: one
    # that swallows packets would otherwise cost every request its connect timeout.
    resting = mirror.upstream_rests_until.get(ecosystem, 0.0) > time.monotonic()
    if upstream.url is None or resting:
        fallback = await _kept_copy(ecosystem, form, kept)
        if fallback is not None:
            return fallback
    if upstream.url is None:
        raise ApiError(
            503,
            "not_mirrored",
            f"{name} is not kept by this mirror, and it has no {ecosystem} upstream "
            f"({upstream.origin}): seed it with `cospai mirror seed`, or configure one.",
        )
    base = upstream.url
    try:
        return await mirror.flights.run(
            ("meta", ecosystem, name, form),
            lambda: _refresh(mirror, ecosystem, name, form, base, row, kept.get(SEED)),
        )
    except UpstreamMissing:
        if SEED in kept:
            return await _from_seed(ecosystem, form, kept[SEED])
        raise ApiError(
            404, "not_found", f"The upstream has no {ecosystem} package {name}."
        ) from None
    except UpstreamError as error:
        if error.status == 503:
            mirror.upstream_rests_until[ecosystem] = time.monotonic() + UPSTREAM_REST_S
        fallback = await _kept_copy(ecosystem, form, kept)
        if fallback is not None:
            return fallback
        raise ApiError(
            error.status, error.code, f"{error.message} {name} is not kept here."
        ) from None


def _request(ecosystem: Ecosystem, name: str, form: str, base: str) -> tuple[str, str]:
    if ecosystem == "npm":
        return base + quote(name, safe="@"), _NPM_ACCEPT[form]
    return f"{base}{quote(name)}/", pypi_docs.UPSTREAM_ACCEPT


async def _refresh(
    mirror: Mirror,
    ecosystem: Ecosystem,
    name: str,
    form: str,
    base: str,
    row: MetaRow | None,
    seed_row: MetaRow | None,
) -> Served:
    url, accept = _request(ecosystem, name, form, base)
    limit = mirror.settings.max_metadata_bytes
    answer = await mirror.fetcher.metadata(url, accept, row.etag if row else None, limit)
    if answer.body is None and row is not None:  # 304: the kept copy is current
        async with mirror.pool.connection() as conn:
            await mirror_meta.touch(conn, ecosystem, name, form)
        return await _served(row)
    seed = await unpack(seed_row) if seed_row is not None else None
    try:
        prepared = await asyncio.to_thread(_prepare, ecosystem, name, form, answer, seed)
    except (ValueError, TypeError, KeyError, msgspec.DecodeError) as error:
        raise UpstreamError(
            502, "bad_upstream_answer", f"The upstream's metadata at {url} is unusable: {error}."
        ) from error
    packed = await asyncio.to_thread(pack, prepared)
    async with mirror.pool.connection() as conn:
        await mirror_meta.put(
            conn, ecosystem, name, MetaRow(form, "upstream", *packed, answer.etag, 0.0)
        )
    return Served(prepared.body, prepared.sources)


def _prepare(
    ecosystem: Ecosystem, name: str, form: str, answer: MetaAnswer, seed: Prepared | None
) -> Prepared:
    body = answer.body or b""
    if ecosystem == "npm":
        # An upstream that ignores the abbreviated Accept sends the full form: shorten it.
        shorten = form == ABBREVIATED and npm_docs.ABBREVIATED not in answer.content_type
        doc, short = npm_docs.decode(body), form == ABBREVIATED
        return npm_docs.prepare(
            doc, name, answer.url, abbreviated=short, shorten=shorten, seed=seed
        )
    prepared = pypi_docs.prepare(name, pypi_docs.parse(body, answer.content_type, answer.url))
    return pypi_docs.merge(prepared, seed) if seed is not None else prepared


async def _kept_copy(ecosystem: Ecosystem, form: str, kept: dict[str, MetaRow]) -> Served | None:
    """What can be served without the upstream: the kept form, the abbreviated form made
    from a kept full one, or the seeded document."""
    if form in kept:
        return await _served(kept[form], stale=True)
    if form == ABBREVIATED and FULL in kept:
        full = await unpack(kept[FULL])
        short = npm_docs.abbreviate(npm_docs.decode(full.body))
        return Served(msgspec.json.encode(short), full.sources, stale=True)
    if SEED in kept:
        return await _from_seed(ecosystem, form, kept[SEED])
    return None


async def _from_seed(ecosystem: Ecosystem, form: str, seed_row: MetaRow) -> Served:
    seed = await unpack(seed_row)
    if ecosystem == "npm" and form == ABBREVIATED:
        short = npm_docs.abbreviate(npm_docs.decode(seed.body))
        return Served(msgspec.json.encode(short), seed.sources)
    return Served(seed.body, seed.sources)


async def _served(row: MetaRow, stale: bool = False) -> Served:
    prepared = await unpack(row)
    return Served(prepared.body, prepared.sources, stale)


def pack(prepared: Prepared) -> tuple[bytes, bytes]:
    """A document as it is stored: body and sources, compressed."""
    return zlib.compress(prepared.body, 6), zlib.compress(msgspec.json.encode(prepared.sources))


async def unpack(row: MetaRow) -> Prepared:
    body = await _inflate(row.body)
    return Prepared(body, await _unpack_json(row.sources))


async def _unpack_json(packed: bytes) -> dict[str, Any]:
    found = msgspec.json.decode(await _inflate(packed))
    return found if isinstance(found, dict) else {}


async def _inflate(packed: bytes) -> bytes:
    if len(packed) > _OFF_LOOP:
        return await asyncio.to_thread(zlib.decompress, packed)
    return zlib.decompress(packed)
