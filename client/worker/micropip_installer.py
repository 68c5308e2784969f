"""host.Installer over micropip, the only code that knows micropip's call shapes and
error texts. Under Pyodide only: micropip is imported when first used, so the module
itself imports under CPython (and its message translation is tested there).

Index order: the wheelhouse build.py ships (a PEP 503 `simple/` index on our origin),
then the server's package mirror (its PyPI simple index on the IDE's origin, named by
/api/runtime-config), both as absolute URLs, since micropip refuses relative ones.
micropip tries them in order for each package, so whatever the wheelhouse has never
touches the mirror. No other index is ever asked: micropip's default ("PYPI") is left out,
so the browser fetches from our own origins only. A static-only build names no mirror:
the wheelhouse is then the only index.

micropip says "Can't fetch metadata" alike for a name no index has and for an index that
could not answer, so after that failure the installer asks the mirror's project page
itself: 404 is no such package, 503 an upstream the mirror cannot reach (with nothing
kept), no answer at all a mirror that cannot be reached (offline).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from .host import InstallError

# What the mirror's project page answered (an HTTP status; 0: no answer at all).
Probe = Callable[[str], Awaitable[int]]


def normalize(name: str) -> str:
    """A project's name as PEP 503 spells it in index URLs."""
    return re.sub(r"[-_.]+", "-", name).lower()


def not_found(name: str, status: int | None) -> str:
    """The line for a package no index gave metadata for; `status`: the mirror's answer
    for its project page (None: there is no mirror)."""
    if status is None:
        return (
            f"No matching distribution found for {name}: it is not in the wheelhouse, "
            "and no package mirror is configured"
        )
    if status == 404:
        return (
            f"No matching distribution found for {name}: no such package "
            "(not in the wheelhouse, and the package mirror's upstream does not know it)"
        )
    if status == 503:
        return (
            f"Could not fetch {name}: upstream unreachable (the package mirror cannot reach "
            "its upstream and does not keep this package)"
        )
    if status == 0:
        return (
            f"Could not fetch {name}: the package mirror cannot be reached (offline?), "
            "and this package was not installed here before"
        )
    return f"Could not fetch {name}: the package mirror answered HTTP {status}"


def explain(message: str) -> str:
    """micropip's multi-line ValueError text → one line saying why (a missing package
    without asking the mirror: see MicropipInstaller.install)."""
    first = message.strip().splitlines()[0] if message.strip() else "installation failed"
    if match := re.match(r"Can't fetch metadata for '([^']+)'", first):
        return not_found(match[1], None)
    if first.startswith("Can't find a pure Python 3 wheel for"):
        names = (
            ", ".join(re.findall(r"'([^']+)'", first.partition(" wheel for")[2])) or "the package"
        )
        return (
            f"No pure-Python wheel for {names}: no wheel for this Python in the browser "
            "(the package needs a compiled extension)"
        )
    return first


def missing_name(message: str) -> str | None:
    """The package named by micropip's "Can't fetch metadata for 'NAME'", if that is it."""
    match = re.match(r"\s*Can't fetch metadata for '([^']+)'", message)
    return match[1] if match else None


async def page_status(url: str) -> int:
    """GET a project page from the worker: its status, 0 if none came."""
    from client.ffi.worker_fetch import status_of  # Pyodide's fetch, in the worker only

    return await status_of(url, "application/vnd.pypi.simple.v1+json")


class MicropipInstaller:
    def __init__(
        self,
        wheelhouse: str,
        mirror: str | None = None,
        load: Callable[[], Awaitable[object]] | None = None,
        probe: Probe = page_status,
    ) -> None:
        # micropip appends "/<name>/" itself: a trailing slash would double it.
        self.mirror = mirror.rstrip("/") if mirror else None
        self.index_urls = [wheelhouse.rstrip("/")] + ([self.mirror] if self.mirror else [])
        # The worker loads micropip after the prompt is up (a third of a second less to
        # wait for it); `load` is its one promise of that load, which pip awaits first.
        self._load = load
        self._probe = probe

    async def ready(self) -> None:
        if self._load is not None:
            await self._load()

    async def install(
        self, requirements: list[str], *, deps: bool = True, pre: bool = False
    ) -> None:
        # A local wheel (pip_cmd passes it as an absolute path) is read from the worker's
        # file system, which micropip spells `emfs:`.
        requirements = [
            f"emfs:{r}" if r.startswith("/") and r.endswith(".whl") else r for r in requirements
        ]
        import micropip  # Pyodide's: loaded in the worker (ready() waits for it)

        try:
            # reinstall: a pinned version different from the installed one replaces it
            # (pip's behaviour) instead of micropip's "already installed" refusal.
            await micropip.install(
                requirements, deps=deps, pre=pre, reinstall=True, index_urls=self.index_urls
            )
        except (ValueError, OSError, RuntimeError, TypeError) as error:
            raise InstallError(await self._why(str(error))) from None

    async def _why(self, message: str) -> str:
        name = missing_name(message)
        if name is None or self.mirror is None:
            return explain(message)
        return not_found(name, await self._probe(f"{self.mirror}/{normalize(name)}/"))

    def uninstall(self, names: list[str]) -> None:
        import micropip

        micropip.uninstall(names)

    def installed(self) -> dict[str, str]:
        import micropip

        return {name: package.version for name, package in micropip.list().items()}

    def version(self) -> str:
        import micropip

        return str(getattr(micropip, "__version__", "unknown"))
