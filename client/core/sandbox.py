"""Where a project's code runs: its sandbox origin, from the server's pattern and a key.

User code never runs on the IDE's origin (ARCHITECTURE rule 10). The server names a sandbox
origin pattern such as `http://{project}.localhost:8001`; each project gets its own key in
place of `{project}`, so projects do not share a site (cookies, storage, service workers)
with each other either. A key is one DNS label. Share links get a key of their own, derived
from the token by a hash, so the token never appears in a host name (DNS logs, Referer).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from client.core.runtime import FileChange
from client.core.watcher import FsEvent

PLACEHOLDER = "{project}"
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_NOT_LABEL = re.compile(r"[^a-z0-9]+")


class SandboxUnavailable(ValueError):
    """No usable sandbox origin: the runtime must not start (it would run on ours)."""


def project_key(project_id: str) -> str:
    """`p` + the project's id reduced to letters and digits (a UUID fits a label)."""
    cleaned = _NOT_LABEL.sub("", str(project_id).lower())[:60]
    if not cleaned:
        return "p" + hashlib.sha256(str(project_id).encode()).hexdigest()[:32]
    return "p" + cleaned


def share_key(token: str) -> str:
    return "s" + hashlib.sha256(str(token).encode()).hexdigest()[:32]


def origin_for(pattern: str | None, key: str, ide_origin: str) -> str:
    """The sandbox origin for `key`; raises SandboxUnavailable when there is none, or when
    it would be the IDE's own site."""
    if not pattern:
        raise SandboxUnavailable(
            "no sandbox origin is configured, so user code cannot run safely here: start the "
            "server with --sandbox-host (see the README's security section)"
        )
    if not _LABEL.match(key):
        raise SandboxUnavailable(f"{key!r} is not a valid sandbox key")
    origin = pattern.replace(PLACEHOLDER, key).rstrip("/")
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path:
        raise SandboxUnavailable(f"the sandbox origin {origin!r} is not an origin")
    if _host(origin) == _host(ide_origin):
        # Cookies ignore ports: the IDE's session cookie would be sent there.
        raise SandboxUnavailable(
            f"the sandbox origin {origin} is on the IDE's own host: user code there could "
            "act as the signed-in user; configure --sandbox-host with another domain"
        )
    return origin


def _host(origin: str) -> str:
    return (urlsplit(origin).hostname or "").lower()


def pypi_mirror(config: dict[str, Any]) -> str | None:
    """The package mirror's PyPI index that /runtime-config names, for pip in the sandbox:
    an absolute http(s) URL, else None (a static-only build, an older server: pip then has
    the wheelhouse only)."""
    return _mirror_url(config, "pypi")


def npm_mirror(config: dict[str, Any]) -> str | None:
    """The package mirror's npm registry that /runtime-config names, for npm in the
    sandbox: an absolute http(s) URL ending in "/", else None (npm then cannot install)."""
    url = _mirror_url(config, "npm")
    return url if url is None or url.endswith("/") else url + "/"


def _mirror_url(config: dict[str, Any], kind: str) -> str | None:
    found = config.get("mirror")
    url = found.get(kind) if isinstance(found, dict) else None
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    ok = parts.scheme in ("http", "https") and parts.hostname and not parts.fragment
    return url if ok else None


# ---------------------------------------------------------------- what comes back

EVENT_KINDS = frozenset({"create", "change", "delete"})  # client/core/fs_snapshot.py
MAX_PATH = 4096


def file_changes(batch: Any) -> list[FileChange]:
    """The worker's file events, kept only when well formed: a known kind, a relative path
    without `..`, bytes or nothing as content. The model's own rules (ignored paths, sizes)
    apply afterwards, as to any change."""
    changes: list[FileChange] = []
    if not isinstance(batch, list):
        return changes
    for item in batch:
        if not isinstance(item, (list, tuple)) or len(item) != 3:
            continue
        kind, path, content = item
        if kind not in EVENT_KINDS or not isinstance(path, str) or not 0 < len(path) <= MAX_PATH:
            continue
        parts = path.split("/")
        if path.startswith("/") or "\x00" in path or any(p in ("", ".", "..") for p in parts):
            continue
        if content is not None:
            if not isinstance(content, (bytes, bytearray, memoryview)):
                continue
            content = bytes(content)  # the same object when it is bytes already
        changes.append(FileChange(FsEvent(kind, path), content))
    return changes
