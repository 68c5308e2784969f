"""Serve dist/ as the build manifest describes it, and nothing else.

Only paths listed in manifest.json are answered, so `..`, encoded dots or absolute paths
can never reach a file outside dist/: they are not keys of the manifest. Precompressed
variants are chosen by Accept-Encoding; versioned assets are cached forever.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from contract import app_routes, media_types
from server.conditional import matches
from server.errors import ApiError

log = logging.getLogger("cospai")

# The shared table (contract/media_types.py) and wheels; no guessing beyond it: dist/ holds
# only what build.py put there.
MEDIA_TYPES = {**media_types.TYPES, "whl": "application/zip"}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ENCODING_NAMES = {"br": "br", "gz": "gzip"}


# The page's own routes (deep links): served the shell, which reads location itself. The
# framed ones (/embed, issue 8) are made to be framed by other sites.
FRAMED_ROUTES = app_routes.FRAMED
APP_ROUTES = (*app_routes.SHELL, *FRAMED_ROUTES)


def media_type(name: str) -> str:
    """The type a file of dist/ is served with."""
    return MEDIA_TYPES.get(media_types.suffix(name), media_types.UNKNOWN)


def _is_app_route(name: str) -> bool:
    if name in APP_ROUTES:
        return True
    head, _, rest = name.partition("/")
    return head == "p" and rest != "" and "/" not in rest and "." not in rest


class DistMissing(Exception):
    """dist/ is absent or has no manifest: the server must not start."""


@dataclass(frozen=True)
class _Entry:
    path: Path
    sha256: str
    size: int
    encodings: dict[str, tuple[Path, str]]


def _accepted(header: str) -> set[str]:
    """Codings the client accepts with q > 0 (RFC 9110 Accept-Encoding)."""
    accepted = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name and q > 0:
            accepted.add(name.strip().lower())
    return accepted


class DistSite:
    """The built static site: index.html, pyscript.json, manifest.json and assets/."""

    # How often a request may look at manifest.json's stamp for a rebuilt dist/.
    RECHECK_S = 1.0
    # Set by _load, which a rebuilt dist/ runs again.
    build_id: str
    _entries: dict[str, _Entry]
    _checked: float

    def __init__(self, dist_dir: Path) -> None:
        self.dist_dir = dist_dir
        self._stamp = self._manifest_stamp()
        self._load()

    def _manifest_stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.dist_dir / "manifest.json").stat()
        except OSError:
            return None
        return (stat.st_ino, stat.st_mtime_ns)

    def _maybe_reload(self) -> None:
        """Pick up a rebuilt dist/ (build.py swaps it in whole) without a restart."""
        now = time.monotonic()
        if now - self._checked < self.RECHECK_S:
            return
        self._checked = now
        stamp = self._manifest_stamp()
        if stamp is not None and stamp != self._stamp:
            try:
                self._load()
                self._stamp = stamp
                log.warning("dist/ changed: now serving build %s", self.build_id)
            except DistMissing as error:
                log.warning("dist/ changed but cannot be read, keeping the old one: %s", error)

    def _load(self) -> None:
        self._checked = time.monotonic()
        dist_dir = self.dist_dir
        manifest_path = dist_dir / "manifest.json"
        if not manifest_path.is_file():
            raise DistMissing(
                f"{dist_dir} has no build (manifest.json is missing): run `python build.py` first"
            )
        try:
            manifest = json.loads(manifest_path.read_text())
            files = manifest["files"]
            build_id: str = manifest["build_id"]
        except (ValueError, KeyError) as error:
            raise DistMissing(
                f"{manifest_path} is unreadable ({error}): run `python build.py` again"
            ) from error
        entries: dict[str, _Entry] = {}
        for name, meta in files.items():
            path = dist_dir / name
            encodings = {
                enc: (path.with_name(f"{path.name}.{enc}"), variant["sha256"])
                for enc, variant in meta.get("encodings", {}).items()
            }
            entries[name] = _Entry(path, meta["sha256"], meta["size"], encodings)
        entries["manifest.json"] = _Entry(manifest_path, build_id, 0, {})
        self._entries, self.build_id = entries, build_id
        absent = [name for name, entry in entries.items() if not entry.path.is_file()]
        if absent:
            # Serve anyway: the page reports the failing boot step, which says more than a
            # refusal to start would. But say it here too.
            log.warning("dist/ is incomplete, %d file(s) missing, e.g. %s", len(absent), absent[0])

    def names(self) -> list[str]:
        """Every file the manifest lists (as paths relative to dist/)."""
        return list(self._entries)

    def lookup(self, url_path: str) -> tuple[str, _Entry] | None:
        """The manifest entry a URL path names (an app route names index.html)."""
        name = url_path.lstrip("/")
        if name == "" or name.endswith("/"):
            name += "index.html"
        entry = self._entries.get(name)
        if entry is None and _is_app_route(name):
            name, entry = "index.html", self._entries.get("index.html")
        return (name, entry) if entry else None

    async def handle(self, request: Request) -> Response:
        self._maybe_reload()
        found = self.lookup(request.url.path)
        if found is None:
            raise ApiError(404, "not_found", f"No such file: {request.url.path}")
        name, entry = found
        cache = IMMUTABLE if name.startswith("assets/") else REVALIDATE
        accepted = _accepted(request.headers.get("accept-encoding", ""))
        path, tag, coding = entry.path, entry.sha256, None
        for enc in ("br", "gz"):
            if enc in entry.encodings and ENCODING_NAMES[enc] in accepted:
                if not entry.encodings[enc][0].is_file():
                    continue  # a variant lost from disk: fall back to the next, or identity
                path, tag = entry.encodings[enc]
                coding = ENCODING_NAMES[enc]
                break
        etag = f'"{tag[:32]}"'
        headers = {"cache-control": cache, "etag": etag, "vary": "accept-encoding"}
        if request.url.path.strip("/") in FRAMED_ROUTES:
            headers.update(embed_headers(request))
        if coding:
            headers["content-encoding"] = coding
        if matches(etag, request.headers.get("if-none-match")):
            return Response(status_code=304, headers=headers)
        if not path.is_file():
            raise ApiError(404, "not_found", f"No such file: {request.url.path}")
        return FileResponse(path, media_type=media_type(name), headers=headers)


def embed_headers(request: Request) -> dict[str, str]:
    """/embed is framed by other sites: by the configured ones only when a list is set
    (COSPAI_EMBED_ORIGINS), else by any. `cross-origin` resource policy lets a host page
    that is itself cross-origin isolated (COEP require-corp) load it."""
    settings = getattr(request.state, "settings", None)
    origins = tuple(getattr(settings, "embed_origins", ()) or ())
    ancestors = " ".join(("'self'", *origins)) if origins else "*"
    return {
        "content-security-policy": f"frame-ancestors {ancestors}",
        "cross-origin-resource-policy": "cross-origin",
    }
