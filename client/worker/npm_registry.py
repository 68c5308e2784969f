"""npm's side of the package mirror, for the `npm` command in the runtime worker: the
packuments the resolver asks for (abbreviated, as npm asks) and the tarballs the
installer unpacks, each checked against the `integrity` its packument gives.

The mirror is the only registry: the IDE names it (/api/runtime-config's `mirror.npm`).
The worker's fetch keeps what the mirror answered (client/glue/mirror-cache.mjs), so a
packument or tarball fetched once is there offline; this module only tells the failures
apart, in npm's words where npm has some:

- 404: no such package (`E404`), said as npm says it;
- 503: the mirror cannot reach its upstream and keeps nothing for this name;
- no answer: the mirror cannot be reached (offline) and this browser never kept it.

Fetching is a function given to the class (`Get`), so the module runs and is tested under
CPython; in the worker it is pyfetch (client/ffi/worker_fetch.py)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from client.core.npm.tree import NoSuchPackage, RegistryError
from client.core.tasks import spawn

ABBREVIATED = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8"
# (status, body): status 0 when no answer came at all (offline, refused).
Get = Callable[[str, str], Awaitable[tuple[int, bytes]]]


class Unreachable(RegistryError):
    """Neither the mirror nor this browser's kept copy could give it."""


class IntegrityError(RegistryError):
    """A tarball whose bytes are not the ones its packument names."""


def packument_url(registry: str, name: str) -> str:
    """The packument's URL: a scope's "/" is escaped, as npm asks for it."""
    return registry + quote(name, safe="@")


def _why(status: int, what: str, name: str) -> str:
    if status == 503:
        return (
            f"upstream unreachable: the package mirror cannot reach its upstream and does "
            f"not keep {what}"
        )
    if status == 0:
        return (
            f"the package mirror cannot be reached (offline?), and {what} was not "
            "installed in this browser before"
        )
    return f"the package mirror answered HTTP {status} for {what}"


def check_integrity(data: bytes, integrity: str | None, shasum: str | None = None) -> None:
    """Raise IntegrityError unless `data` matches one of the SRI hashes (the strongest
    algorithm npm gives is checked) or, without any, the legacy sha1 `shasum`."""
    strongest: dict[str, list[str]] = {}
    for item in (integrity or "").split():
        algorithm, _, digest = item.partition("-")
        if algorithm in ("sha512", "sha384", "sha256", "sha1") and digest:
            strongest.setdefault(algorithm, []).append(digest.split("?")[0])
    for algorithm in ("sha512", "sha384", "sha256", "sha1"):
        if algorithm in strongest:
            actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
            if actual not in strongest[algorithm]:
                raise IntegrityError(
                    f"EINTEGRITY: {algorithm} of the downloaded tarball is {algorithm}-{actual}, "
                    f"not the {algorithm}-{strongest[algorithm][0]} its packument names"
                )
            return
    if shasum:
        if hashlib.sha1(data).hexdigest() != shasum.lower():  # noqa: S324 - npm's own legacy hash
            raise IntegrityError("EINTEGRITY: the downloaded tarball's sha1 is not its shasum")
        return
    raise IntegrityError("EINTEGRITY: the packument gives no hash to check the tarball against")


class MirrorRegistry:
    """One install's view of the registry: each packument is fetched once per run."""

    def __init__(self, registry: str, get: Get) -> None:
        self.registry = registry if registry.endswith("/") else registry + "/"
        self._get = get
        self._packuments: dict[str, asyncio.Task[dict[str, Any]]] = {}
        self.fetched_bytes = 0
        self.parse_seconds = 0.0  # spent decoding packuments (for `npm --timing`)

    async def packument(self, name: str) -> dict[str, Any]:
        found = self._packuments.get(name)
        if found is None:
            found = spawn(self._fetch_packument(name), f"fetch {name}", awaited=True)
            self._packuments[name] = found
        return await asyncio.shield(found)

    async def _fetch_packument(self, name: str) -> dict[str, Any]:
        url = packument_url(self.registry, name)
        status, body = await self._get(url, ABBREVIATED)
        if status == 404:
            raise NoSuchPackage(name)
        if status != 200:
            raise Unreachable(f"cannot fetch {name}: {_why(status, name, name)}")
        began = time.perf_counter()
        try:
            doc = json.loads(body)
        except ValueError:
            raise RegistryError(f"the packument of {name} is not JSON") from None
        finally:
            self.parse_seconds += time.perf_counter() - began
        if not isinstance(doc, dict) or not isinstance(doc.get("versions"), dict):
            raise RegistryError(f"the packument of {name} has no versions")
        return doc

    async def tarball(
        self, name: str, version: str, url: str, integrity: str | None, shasum: str | None = None
    ) -> bytes:
        if not url.startswith(self.registry):
            # A lockfile names another registry's URL, or none (we and npm with
            # omit-lockfile-registry-resolved leave it out): only the mirror is asked.
            url = self.registry + _mirror_tail(name, version, url)
        status, body = await self._get(url, "application/octet-stream")
        if status != 200:
            raise Unreachable(
                f"cannot fetch {name}@{version}: {_why(status, f'{name}@{version}', name)}"
            )
        check_integrity(body, integrity, shasum)
        self.fetched_bytes += len(body)
        return body


def _mirror_tail(name: str, version: str, url: str) -> str:
    """`<name>/-/<file>.tgz` for a tarball URL of another registry, or npm's usual file
    name (`<name without scope>-<version>.tgz`) when there is no URL: the mirror serves
    every tarball under that path."""
    filename = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] if url else ""
    if not filename.endswith(".tgz"):
        filename = f"{name.rsplit('/', 1)[-1]}-{version}.tgz"
    return f"{name}/-/{filename}"
