# The part of micropip this project uses (the version Pyodide 314 ships: 0.11).
from collections.abc import Iterable

async def install(
    requirements: str | Iterable[str],
    keep_going: bool = False,
    deps: bool = True,
    credentials: str | None = None,
    pre: bool = False,
    index_urls: Iterable[str] | str | None = None,
    *,
    constraints: Iterable[str] | None = None,
    reinstall: bool = False,
    verbose: bool | int | None = None,
) -> None: ...
def set_index_urls(urls: Iterable[str] | str) -> None: ...
