"""The phases of build.py, in order, one module each: vendor (the npm libraries), client
(the client/ package and its glue), wheels (the pinned wheelhouse and its index), shell
(index.html, pyscript.json, sw.js), compress (.br and .gz variants), manifest (every file,
hashed, and the build id). Only build.py and these modules know dist/'s layout."""

from __future__ import annotations

QUIET = False  # --quiet: log() prints nothing


class BuildError(Exception):
    """A build step failed for a reason the user can act on."""


def log(message: str) -> None:
    if not QUIET:
        print(f"build: {message}", flush=True)
