"""What the sandbox site serves, one list for the two ways it is served: by the server
(server/sandbox_site.py) and, for a static-only build, as a folder of plain files that a
static host serves on the sandbox's wildcard name (builder/sandbox_site.py)."""

from __future__ import annotations

import re

# Where build.py puts the sandbox's own pages inside dist/.
PREFIX = "sandbox-origin/"
# URL path on the sandbox origin -> file in dist/. A service worker's script URL must not
# change between builds, so these are fixed names, not hashed assets.
FILES = {
    f"/{name}": PREFIX + name
    for name in ("relay.html", "relay.js", "sw.js", "runtime.html", "runtime.js")
}
# The asset groups the runtime loads, by the name build.py gives them (assets/<group>-<hash>/).
RUNTIME_GROUPS = ("pyodide", "client", "wheelhouse")
ASSET = re.compile(r"^/assets/(?P<group>[a-z]+)-[0-9a-f]{6,64}/[^?#]+$")
# The list the sandbox's service worker keeps for offline use (its sw.js fetches it).
FILE_LIST = "/sandbox-files.json"
# Besides the isolation headers (contract/isolation.py): user pages are no MIME-sniffed
# scripts, and no request from the sandbox tells another site where it came from.
EXTRA_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def is_runtime_asset(path: str) -> bool:
    """`/assets/<group>-<hash>/...` of a group the runtime loads."""
    found = ASSET.match(path)
    return found is not None and found["group"] in RUNTIME_GROUPS


def file_list(build_id: str, names: list[str]) -> dict[str, object]:
    """The offline list: the pages (not the worker itself) and the runtime's assets, from
    the names of dist/'s files."""
    assets = sorted(f"/{name}" for name in names if is_runtime_asset(f"/{name}"))
    pages = [path for path in FILES if path != "/sw.js"]
    return {"build_id": build_id, "files": pages + assets}
