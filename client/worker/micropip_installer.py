"""host.Installer over micropip, the only code that knows micropip's call shapes and
error texts. Under Pyodide only: micropip is imported when first used, so the module
itself imports under CPython (and its message translation is tested there).

Index order: the wheelhouse build.py ships (a PEP 503 `simple/` index on our origin,
given as an absolute URL, since micropip refuses relative ones), then micropip's name for
its default index, "PYPI", when `online`. micropip tries them in order for each package,
so whatever the wheelhouse has never touches the network, and offline the PyPI attempt
simply fails into the next message.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from .host import InstallError

PYPI = "PYPI"  # micropip's alias for its default index; we name no host ourselves


def explain(message: str) -> str:
    """micropip's multi-line ValueError text → one line saying why."""
    first = message.strip().splitlines()[0] if message.strip() else "installation failed"
    if match := re.match(r"Can't fetch metadata for '([^']+)'", first):
        return (
            f"No matching distribution found for {match[1]}: it is not in the "
            "wheelhouse, and PyPI has no such package or cannot be reached"
        )
    if first.startswith("Can't find a pure Python 3 wheel for"):
        names = (
            ", ".join(re.findall(r"'([^']+)'", first.partition(" wheel for")[2])) or "the package"
        )
        return (
            f"No pure-Python wheel for {names}: packages with compiled code cannot "
            "be installed here"
        )
    return first


class MicropipInstaller:
    def __init__(
        self,
        index_urls: list[str],
        online: bool = True,
        load: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        # micropip appends "/<name>/" itself: a trailing slash would double it.
        self.index_urls = [url.rstrip("/") for url in index_urls] + ([PYPI] if online else [])
        # The worker loads micropip after the prompt is up (a third of a second less to
        # wait for it); `load` is its one promise of that load, which pip awaits first.
        self._load = load

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
            raise InstallError(explain(str(error))) from None

    def uninstall(self, names: list[str]) -> None:
        import micropip

        micropip.uninstall(names)

    def installed(self) -> dict[str, str]:
        import micropip

        return {name: package.version for name, package in micropip.list().items()}

    def version(self) -> str:
        import micropip

        return str(getattr(micropip, "__version__", "unknown"))
