# The part of micropip this project uses (the version Pyodide 314 ships: 0.11).
import builtins
from collections.abc import Iterable

__version__: str

class Package:
    name: str
    version: str
    source: str

class PackageDict(dict[str, Package]): ...

async def install(
    requirements: str | Iterable[str],
    keep_going: bool = False,
    deps: bool = True,
    credentials: str | None = None,
    pre: bool = False,
    index_urls: builtins.list[str] | str | None = None,
    *,
    constraints: builtins.list[str] | None = None,
    reinstall: bool = False,
    verbose: bool | int | None = None,
) -> None: ...
def uninstall(packages: str | builtins.list[str], *, verbose: bool | int = False) -> None: ...
def list() -> PackageDict: ...
