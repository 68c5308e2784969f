"""Phase 1, vendor: the npm libraries copied or bundled into asset groups (Pyodide with its
lock file pointed at our micropip and packaging wheels, PyScript, Monaco with its workers,
xterm, the WebContainer client), nothing fetched from a CDN at run time."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from builder import BuildError
from builder.groups import (
    NODE_MODULES,
    ROOT,
    files_under,
    new_group,
    npm_package,
    seal_group,
    sha256_file,
)

PYODIDE_FILES = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]
MONACO_WORKERS = {
    "editor.worker": "monaco-editor/esm/vs/editor/editor.worker.js",
    "json.worker": "monaco-editor/esm/vs/language/json/json.worker.js",
    "css.worker": "monaco-editor/esm/vs/language/css/css.worker.js",
    "html.worker": "monaco-editor/esm/vs/language/html/html.worker.js",
    "ts.worker": "monaco-editor/esm/vs/language/typescript/ts.worker.js",
}
LOCKED_BY_NAME = {"micropip", "packaging"}


def vendor_pyodide(stage: Path, wheels: dict[str, Path]) -> str:
    source = npm_package("pyodide")
    folder = new_group(stage, "pyodide")
    for name in PYODIDE_FILES[:-1]:
        shutil.copyfile(source / name, folder / name)
    # PyScript's interpreter entry: loadPyodide with a memory snapshot (see the file).
    glue = ROOT / "client" / "glue"
    shutil.copyfile(glue / "pyodide_boot.mjs", folder / "boot.mjs")
    shutil.copyfile(glue / "pyodide_snapshot_worker.mjs", folder / "snapshot-worker.mjs")
    lock = json.loads((source / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    kept = {}
    # Keep only the packages PyScript loads by name, pointed at our wheels. Any other entry
    # would point at a file we do not serve; without it, micropip resolves a name through
    # our simple/ index instead, and loadPackage says "no known package" at once.
    for key, entry in packages.items():
        wheel = wheels.get(entry["name"].lower())
        if wheel is None or key not in LOCKED_BY_NAME:
            continue
        if entry["version"] not in wheel.name:
            raise BuildError(
                f"Pyodide's lock file wants {entry['name']} {entry['version']} but the "
                f"wheelhouse has {wheel.name}; align wheelhouse.txt with pyodide's lock file"
            )
        shutil.copyfile(wheel, folder / wheel.name)
        kept[key] = {**entry, "file_name": wheel.name, "sha256": sha256_file(wheel)}
    missing = {"micropip", "packaging"} - set(kept)
    if missing:
        raise BuildError(f"wheelhouse.txt lacks {sorted(missing)}, which PyScript loads by name")
    lock["packages"] = kept
    (folder / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    return seal_group(stage, "pyodide", folder)


def vendor_pyscript(stage: Path) -> str:
    source = npm_package("@pyscript/core") / "dist"
    folder = new_group(stage, "pyscript")
    for path in files_under(source):
        if path.suffix in {".js", ".css"}:
            # Drop the source-map comment: the maps are not shipped, and devtools would 404.
            data = path.read_bytes()
            if path.suffix == ".js":
                data = re.sub(rb"\n//# sourceMappingURL=\S+\s*$", b"\n", data)
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return seal_group(stage, "pyscript", folder)


def esbuild(args: list[str]) -> None:
    binary = NODE_MODULES / ".bin" / "esbuild"
    if not binary.exists():
        raise BuildError("esbuild is missing from node_modules/: run `npm ci` first")
    result = subprocess.run(
        [str(binary), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BuildError(f"esbuild failed:\n{result.stderr.strip()}")


def vendor_monaco(stage: Path) -> str:
    npm_package("monaco-editor")
    npm_package("monaco-vim")
    folder = new_group(stage, "monaco")
    entries = ["monaco=client/glue/monaco.mjs"]
    entries += [f"{out}=node_modules/{source}" for out, source in MONACO_WORKERS.items()]
    esbuild(
        [
            *entries,
            "--bundle",
            "--format=esm",
            "--minify",
            "--legal-comments=none",
            "--target=es2022",
            "--loader:.ttf=file",
            # monaco-vim deep-imports monaco-editor/esm/..., which monaco's export map would
            # rewrite to esm/vs/esm/...; point those two paths at the real files.
            *[
                f"--alias:monaco-editor/esm/vs/{path}=./node_modules/monaco-editor/esm/vs/{path}.js"
                for path in ("editor/editor.api", "editor/common/commands/shiftCommand")
            ],
            "--main-fields=module,main",
            "--asset-names=[name]-[hash]",
            f"--outdir={folder}",
            "--log-level=error",
        ]
    )
    return seal_group(stage, "monaco", folder)


def vendor_xterm(stage: Path) -> str:
    folder = new_group(stage, "xterm")
    xterm = npm_package("@xterm/xterm")
    fit = npm_package("@xterm/addon-fit")
    for source, name in [
        (xterm / "lib" / "xterm.mjs", "xterm.mjs"),
        (xterm / "css" / "xterm.css", "xterm.css"),
        (fit / "lib" / "addon-fit.mjs", "addon-fit.mjs"),
    ]:
        data = re.sub(rb"\n//# sourceMappingURL=\S+\s*$", b"\n", source.read_bytes())
        (folder / name).write_bytes(data)
    return seal_group(stage, "xterm", folder)


def vendor_webcontainer(stage: Path) -> str:
    npm_package("@webcontainer/api")
    folder = new_group(stage, "webcontainer")
    # The client is a few ES modules; one bundled file is simpler to version and precache.
    esbuild(
        [
            "webcontainer=node_modules/@webcontainer/api/dist/index.js",
            "--bundle",
            "--format=esm",
            "--minify",
            "--legal-comments=none",
            f"--outdir={folder}",
            "--out-extension:.js=.mjs",
            "--log-level=error",
        ]
    )
    return seal_group(stage, "webcontainer", folder)
