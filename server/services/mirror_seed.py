"""`cospai mirror seed`: files read by server/mirror/seeds.py kept as if fetched, and each
package's seeded metadata (a packument, or a project page) built from all its seeded files,
this time's and earlier ones'. A package whose upstream metadata is kept too gets the
seeded versions merged into it, so they show whether or not the upstream answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import msgspec
from psycopg import AsyncConnection

from server.mirror import npm_docs, pypi_docs
from server.mirror.documents import Prepared
from server.mirror.seeds import SeedFile
from server.repo import mirror_files, mirror_meta
from server.repo.mirror_meta import MetaRow
from server.services.mirror_docs import ABBREVIATED, SEED, pack, unpack


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(mirror_files.CHUNK_BYTES):
            yield block


async def seed(conn: AsyncConnection, files: list[SeedFile]) -> list[tuple[str, str]]:
    """Keep the files and their packages' metadata; return the (ecosystem, package) pairs."""
    groups: dict[tuple[str, str], list[SeedFile]] = defaultdict(list)
    for item in files:
        size = item.expected.size or 0
        await mirror_files.store(
            conn, item.ecosystem, item.package, item.filename, item.sha256, size, _blocks(item.path)
        )
        groups[(item.ecosystem, item.package)].append(item)
    for (ecosystem, package), group in sorted(groups.items()):
        async with conn.transaction():
            kept = await mirror_meta.rows(conn, ecosystem, package)
            old = await unpack(kept[SEED]) if SEED in kept else None
            built = _npm(package, group, old) if ecosystem == "npm" else _pypi(package, group, old)
            await mirror_meta.put(
                conn, ecosystem, package, MetaRow(SEED, "seed", *pack(built), None, 0)
            )
            for form, upstream in kept.items():
                if form != SEED:
                    merged = _merged(ecosystem, form, await unpack(upstream), built)
                    row = MetaRow(form, upstream.origin, *pack(merged), None, 0)
                    await mirror_meta.replace(conn, ecosystem, package, row)
    return sorted(groups)


def _sources(group: list[SeedFile], old: Prepared | None) -> dict[str, dict[str, object]]:
    sources = dict(old.sources) if old else {}
    sources.update({f.filename: {"url": None, **f.expected.as_json()} for f in group})
    return sources


def _npm(package: str, group: list[SeedFile], old: Prepared | None) -> Prepared:
    versions = {f.version: npm_docs.seed_version(f.manifest, f.filename, f.expected) for f in group}
    doc = npm_docs.seed_document(package, versions, npm_docs.decode(old.body) if old else None)
    return Prepared(msgspec.json.encode(doc), _sources(group, old))


def _pypi(package: str, group: list[SeedFile], old: Prepared | None) -> Prepared:
    new = {f.filename: (f.expected, f.extra) for f in group}
    return pypi_docs.seed_page(package, new, old)


def _merged(ecosystem: str, form: str, upstream: Prepared, seeded: Prepared) -> Prepared:
    if ecosystem == "pypi":
        return pypi_docs.merge(upstream, seeded)
    doc, seed_doc = npm_docs.decode(upstream.body), npm_docs.decode(seeded.body)
    npm_docs.merge(doc, npm_docs.abbreviate(seed_doc) if form == ABBREVIATED else seed_doc)
    sources = {**seeded.sources, **upstream.sources}
    return Prepared(msgspec.json.encode(doc), sources)
