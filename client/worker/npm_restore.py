"""node_modules back after a reload. It never syncs, so a fresh engine (a reload, a crash,
another browser) has the project's files but not its packages. When the project has a
package-lock.json and node_modules has no hidden lockfile, the engine unpacks what the
lock lists in the background, as `npm ci` would, from the tarballs the sandbox kept
(client/glue/mirror-cache.mjs): no network is needed for what was installed here before.

Quiet by design: nothing is printed in a terminal that did not ask. A restore that
cannot finish (a tarball never fetched in this browser and no network) stops, and
`npm install` finishes the job later. One npm at a time per folder: an `npm` typed
while a restore runs waits for it (npm_cmd's lock)."""

from __future__ import annotations

import os

from client.core.npm import lockfile
from client.core.npm.tree import RegistryError

from .npm_install import HIDDEN_LOCK, LOCK, NpmError, ProjectInstall, Tarballs, read_json
from .npm_progress import Progress
from .npm_unpack import UnpackError


def wanted(prefix: str) -> bool:
    """A lockfile and no installed tree: node_modules is to be brought back."""
    return os.path.isfile(os.path.join(prefix, LOCK)) and not os.path.isfile(
        os.path.join(prefix, HIDDEN_LOCK)
    )


async def restore(prefix: str, registry: Tarballs) -> int:
    """Unpack what package-lock.json lists into node_modules; the number of packages, or
    -1 when it could not (nothing else is said: see the module's docstring)."""
    from .npm_cmd import busy  # the lock npm commands take for this folder

    async with busy(prefix):
        if not wanted(prefix):
            return 0
        try:
            root = read_json(os.path.join(prefix, "package.json")) or {}
            doc = read_json(os.path.join(prefix, LOCK))
            if doc is None or lockfile.ci_problems(doc, root):
                return -1  # out of step with package.json: `npm install` decides
            tree = lockfile.tree_from_lock(doc, root)
            work = ProjectInstall(prefix, registry, Progress(lambda _text: None))
            summary = await work.reify(None, tree, set())
        except (NpmError, RegistryError, UnpackError, ValueError, KeyError, TypeError, OSError):
            return -1
        return summary.added
