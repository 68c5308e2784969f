"""Phase 2, client: the client/ package as client.zip (with contract/ beside it and the
`cospai` facade its programs import), its ES glue modules and stylesheets, and the sandbox
origin's pages."""

from __future__ import annotations

import shutil
from pathlib import Path

from builder import BuildError
from builder.groups import ROOT, files_under, new_group, seal_group, write_zip
from builder.shell import js_const
from contract import isolation

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
    # contract/ (the sync rules, media types: what the client shares with the server)
    # travels beside client/, as in the repository: `import contract` works the same way
    # under CPython and Pyodide.
    for path in files_under(ROOT / "contract"):
        if path.suffix in {".py", ".json"}:
            members.append((path.relative_to(ROOT).as_posix(), path.read_bytes()))
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
        if path.name == "sw.js":
            # Its headers come from contract/isolation.py, as the server's do.
            directive = '"use strict";\n'
            text = path.read_text()
            if directive not in text:
                raise BuildError(f"{path} lost its {directive.strip()} line")
            head, _, rest = text.partition(directive)
            (folder / path.name).write_text(
                head + directive + js_const("ISOLATION", isolation.SANDBOX) + rest
            )
        elif path.suffix in {".html", ".js"}:
            shutil.copyfile(path, folder / path.name)
