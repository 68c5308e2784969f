"""Phase 5, compress: a .br and a .gz beside every compressible file that shrinks enough;
brotli -11 is slow, so results are cached by content hash and made in parallel."""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from builder import log
from builder.groups import files_under, sha256_file

# Files whose size is mostly text or code; everything else is served as it is.
COMPRESSIBLE = {".js", ".mjs", ".css", ".html", ".json", ".wasm", ".svg", ".ttf", ".txt", ".map"}
MIN_SAVING = 0.05  # keep a variant only when it saves at least 5%


def _compress(job: tuple[str, str]) -> tuple[str, bytes, bytes]:
    import brotli  # the build runs in the project venv, which pins it

    path, _digest = job
    data = Path(path).read_bytes()
    return path, brotli.compress(data, quality=11), gzip.compress(data, 9, mtime=0)


def precompress(stage: Path, cache: Path, only: list[Path] | None = None) -> None:
    """Write .br/.gz variants; results are cached by content hash, since brotli -11 is slow."""
    cache.mkdir(parents=True, exist_ok=True)
    targets = only if only is not None else files_under(stage)
    jobs = []
    for path in targets:
        if path.suffix not in COMPRESSIBLE:
            continue
        digest = sha256_file(path)
        cached_br, cached_gz = cache / f"{digest}.br", cache / f"{digest}.gz"
        if cached_br.exists() and cached_gz.exists():
            continue
        jobs.append((str(path), digest))
    if jobs:
        log(f"compressing {len(jobs)} file(s) (cached afterwards)")
        with ProcessPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            largest_first = sorted(jobs, key=lambda job: -os.path.getsize(job[0]))
            for name, br, gz in pool.map(_compress, largest_first):
                digest = dict(jobs)[name]
                (cache / f"{digest}.br.tmp").write_bytes(br)
                (cache / f"{digest}.gz.tmp").write_bytes(gz)
                os.replace(cache / f"{digest}.br.tmp", cache / f"{digest}.br")
                os.replace(cache / f"{digest}.gz.tmp", cache / f"{digest}.gz")
    for path in targets:
        if path.suffix not in COMPRESSIBLE:
            continue
        digest, size = sha256_file(path), path.stat().st_size
        for encoding in ("br", "gz"):
            variant = (cache / f"{digest}.{encoding}").read_bytes()
            if len(variant) <= size * (1 - MIN_SAVING):
                path.with_name(f"{path.name}.{encoding}").write_bytes(variant)
