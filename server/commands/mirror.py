"""`cospai mirror seed|status|prune`: fill the package mirror from files (for an air-gapped
install), say what it keeps and where its upstreams are, and let go of what is not used."""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta
from pathlib import Path

import psycopg

from server import db, migrate
from server.commands import CliError
from server.commands.database import database, database_errors
from server.mirror import seeds, upstreams
from server.mirror.config import MB, MirrorSettings
from server.mirror.seeds import SeedError, SeedFile
from server.repo import mirror_files, mirror_meta, rate_windows
from server.settings import Settings

EXIT_SKIPPED = 1
MetaStats = tuple[str, str, int, int, int]  # ecosystem, origin, packages, documents, bytes
FileStats = tuple[str, int, int]  # ecosystem, files, bytes


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mirror = commands.add_parser(
        "mirror",
        help="the package mirror: seed, status, prune",
        description="The npm and PyPI mirror the server keeps in its database "
        "(/api/mirror/npm/, /api/mirror/pypi/simple/).",
    )
    actions = mirror.add_subparsers(dest="mirror_command", required=True, metavar="ACTION")
    seed = actions.add_parser(
        "seed",
        help="load npm tarballs and Python wheels/sdists from files",
        description="Keep npm tarballs (.tgz: name and version from the package.json "
        "inside) and Python files (.whl, .tar.gz, .zip: name and version from the file "
        "name) found at PATH (a file, or a folder searched recursively), with the "
        "metadata to serve them: an install with no upstream at all (air-gapped) can "
        "then use them. Seeding again adds versions; files are kept by their sha256.",
    )
    seed.add_argument("path", metavar="PATH", type=Path, help="a file or a folder")
    actions.add_parser(
        "status",
        help="what the mirror keeps, and its upstreams",
        description="Packages, files and bytes kept per ecosystem, the upstreams this "
        "machine's configuration names, and the limits.",
    )
    prune = actions.add_parser(
        "prune",
        help="remove what is not used",
        description="Remove kept contents no file name refers to. With --older-than, first "
        "forget the files nobody fetched for that many days and the upstream metadata "
        "not refreshed for as long (seeded metadata stays; their files go when unused).",
    )
    prune.add_argument(
        "--older-than",
        type=int,
        metavar="DAYS",
        help="forget files unused and upstream metadata unrefreshed for DAYS days",
    )
    for sub in (seed, prune, actions.choices["status"]):
        sub.add_argument(
            "--data-dir",
            type=Path,
            help="where the embedded PostgreSQL and other state live (default: .cospai-data/)",
        )


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_dir=args.data_dir)
    if args.mirror_command == "seed":
        files, skipped = _read(args.path, settings.mirror.max_file_bytes)
    with database(settings) as (url, description), database_errors():
        db.check(url)
        migrate.apply(url)
        if args.mirror_command == "seed":
            return _seed(url, files, skipped)
        if args.mirror_command == "status":
            return _status(url, description, settings.mirror)
        return _prune(url, args.older_than)


def _read(path: Path, max_bytes: int) -> tuple[list[SeedFile], list[tuple[Path, str]]]:
    if not path.exists():
        raise CliError(f"{path} does not exist")
    found = seeds.find(path)
    if not found:
        raise CliError(f"no .tgz, .whl, .tar.gz or .zip files at {path}")
    files, skipped = [], []
    for item in found:
        try:
            files.append(seeds.read(item, max_bytes))
        except SeedError as error:
            skipped.append((item, str(error)))
    return files, skipped


async def _connect(url: str) -> psycopg.AsyncConnection:
    return await psycopg.AsyncConnection.connect(url, autocommit=True)


def _seed(url: str, files: list[SeedFile], skipped: list[tuple[Path, str]]) -> int:
    from server.services import mirror_seed

    async def store() -> list[tuple[str, str]]:
        async with await _connect(url) as conn:
            return await mirror_seed.seed(conn, files)

    packages = asyncio.run(store()) if files else []
    for item in files:
        print(f"kept {item.ecosystem:<4} {item.package} {item.version}  ({item.filename})")
    for path, reason in skipped:
        print(f"skipped {path}: {reason}")
    total = sum(item.expected.size or 0 for item in files)
    print(f"seeded {len(files)} files ({_size(total)}) of {len(packages)} packages")
    return EXIT_SKIPPED if skipped else 0


def _status(url: str, description: str, settings: MirrorSettings) -> int:
    async def read() -> tuple[
        list[tuple[str, str, int, int, int]], list[tuple[str, int, int]], tuple[int, int]
    ]:
        async with await _connect(url) as conn:
            meta = await mirror_meta.stats(conn)
            files = await mirror_files.stats(conn)
            return meta, files, await mirror_files.blob_stats(conn)

    meta, files, (blobs, blob_bytes) = asyncio.run(read())
    print(f"package mirror in {description}")
    for ecosystem in ("npm", "pypi"):
        upstream = upstreams.resolve(ecosystem, getattr(settings, f"{ecosystem}_upstream"))
        rows = [m for m in meta if m[0] == ecosystem]
        packages = sum(m[2] for m in rows if m[1] == "upstream")
        seeded = sum(m[2] for m in rows if m[1] == "seed")
        count, size = next(((n, b) for e, n, b in files if e == ecosystem), (0, 0))
        print(f"  {ecosystem}: upstream {upstream.shown}")
        print(
            f"    metadata of {packages} packages from the upstream, {seeded} seeded; "
            f"{count} files ({_size(size)})"
        )
    documents, meta_bytes = sum(m[3] for m in meta), sum(m[4] for m in meta)
    print(
        f"  stored: {blobs} distinct contents ({_size(blob_bytes)}), {documents} metadata "
        f"documents ({_size(meta_bytes)} compressed)"
    )
    print(
        f"  limits: {settings.max_file_bytes // MB} MB a file, {settings.max_metadata_bytes // MB}"
        f" MB of metadata, metadata fresh for {settings.metadata_ttl_s} s, "
        f"{settings.requests_per_minute or 'unlimited'} requests a minute per address"
    )
    return 0


def _prune(url: str, days: int | None) -> int:
    if days is not None and days < 0:
        raise CliError("--older-than takes a number of days, 0 or more")

    async def prune() -> tuple[int, int, int, int]:
        async with await _connect(url) as conn:
            files = documents = 0
            if days is not None:
                age = timedelta(days=days)
                files = await mirror_files.forget_unused(conn, age)
                documents = await mirror_meta.forget_older(conn, age)
            await rate_windows.forget_before(conn, timedelta(days=1))
            removed, size = await mirror_files.prune_orphans(conn)
            return files, documents, removed, size

    files, documents, removed, size = asyncio.run(prune())
    if days is not None:
        print(
            f"forgot {files} files unused and {documents} metadata documents unrefreshed "
            f"for {days} days"
        )
    print(f"removed {removed} contents no file refers to ({_size(size)})")
    return 0


def _size(count: int) -> str:
    return f"{count / MB:.1f} MB" if count >= MB else f"{count} bytes"
