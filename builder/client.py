"""Phase 2, client: the client/ package as client.zip (with the sync rules and the
`cospai` facade its programs import), its ES glue modules and stylesheets, and the sandbox
origin's pages."""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.groups import ROOT, files_under, new_group, seal_group, write_zip

# Glue modules that live inside a vendored library's folder rather than in client/glue/.
PLACED_WITH_LIBRARIES = {"monaco.mjs", "pyodide_boot.mjs", "pyodide_snapshot_worker.mjs"}


def pack_client(stage: Path) -> str:
    folder = new_group(stage, "client")
    source = ROOT / "client"
    members = []
    for path in files_under(source):
        relative = path.relative_to(ROOT).as_posix()
        if path.suffix == ".py":
            members.append((relative, path.read_bytes()))
    # The sync rules travel with the client, at the same place relative to client/ as in
    # the repository, so client code finds them the same way under CPython and Pyodide.
    rules = ROOT / "contract" / "sync_rules.json"
    members.append((rules.relative_to(ROOT).as_posix(), rules.read_bytes()))
    # `from cospai import serve` in the runtime's programs (client/worker/serve.py).
    members.append(("cospai.py", (source / "worker" / "cospai_facade.py").read_bytes()))
    write_zip(folder / "client.zip", members)
    glue = folder / "glue"
    glue.mkdir()
    for path in sorted((source / "glue").glob("*.mjs")):
        if path.name not in PLACED_WITH_LIBRARIES:
            shutil.copyfile(path, glue / path.name)
    # The service worker's registration (service_worker/register.mjs), imported at ready.
    shutil.copyfile(ROOT / "service_worker" / "register.mjs", glue / "sw-register.mjs")
    # Component stylesheets, one per view (client/styles/<view>.css), loaded by the view.
    styles = folder / "styles"
    styles.mkdir()
    for path in sorted((source / "styles").glob("*.css")):
        shutil.copyfile(path, styles / path.name)
    return seal_group(stage, "client", folder)


def copy_sandbox_origin(stage: Path) -> None:
    """The sandbox origin's pages (service_worker/sandbox/): the runtime host, the preview
    relay and the sandbox's service worker, served only on that origin, at fixed URLs (a
    service worker's script URL must not change between builds)."""
    folder = stage / "sandbox-origin"
    folder.mkdir()
    for path in sorted((ROOT / "service_worker" / "sandbox").iterdir()):
        if path.suffix in {".html", ".js"}:
            shutil.copyfile(path, folder / path.name)
