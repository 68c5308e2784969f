#!/usr/bin/env python3
"""Build dist/: the complete static site of CosPAI IDE.

This is the only code that knows dist/'s layout. It runs in ordered phases:

  1. vendor   copy or bundle the npm libraries (Pyodide, PyScript, Monaco, xterm, WebContainer)
  2. client   pack the client/ Python package and its ES glue modules
  3. wheels   fetch the pinned pure-Python wheels, write a PEP 503 simple/ index, and point
              Pyodide's lock file at our micropip/packaging wheels
  4. shell    render index.html and the PyScript config with versioned asset paths, and
              sw.js (the app's service worker) stamped with the build id
  5. compress write .br and .gz beside every compressible file
  6. manifest list every file (sha256, size, encodings) and derive the build id

Each vendored group lands in assets/<group>-<hash>/, the hash taken from its content, so
those paths can be cached forever; index.html, pyscript.json, manifest.json and sw.js are
the only unversioned files. The same inputs give byte-identical output.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NotRequired, TypedDict

ROOT = Path(__file__).resolve().parent
NODE_MODULES = ROOT / "node_modules"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Files whose size is mostly text or code; everything else is served as it is.
COMPRESSIBLE = {".js", ".mjs", ".css", ".html", ".json", ".wasm", ".svg", ".ttf", ".txt", ".map"}
MIN_SAVING = 0.05  # keep a variant only when it saves at least 5%
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
PYSCRIPT_UNUSED_PLUGINS = [
    "codemirror",
    "deprecations-manager",
    "donkey",
    "py-editor",
    "py-game",
    "py-terminal",
]
# Glue modules that live inside a vendored library's folder rather than in client/glue/.
PLACED_WITH_LIBRARIES = {"monaco.mjs", "pyodide_boot.mjs", "pyodide_snapshot_worker.mjs"}
UNVERSIONED = ("index.html", "pyscript.json", "manifest.json", "sw.js")


class BuildError(Exception):
    """A build step failed for a reason the user can act on."""


def log(message: str) -> None:
    if not QUIET:
        print(f"build: {message}", flush=True)


QUIET = False


# ---------------------------------------------------------------- helpers


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def npm_package(name: str) -> Path:
    folder = NODE_MODULES / name
    if not folder.is_dir():
        raise BuildError(f"npm package {name} is missing from node_modules/: run `npm ci` first")
    return folder


def npm_version(name: str) -> str:
    return str(json.loads((npm_package(name) / "package.json").read_text())["version"])


def write_zip(target: Path, members: Iterable[tuple[str, bytes]]) -> None:
    """A zip with fixed timestamps and order, so identical sources give identical bytes."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def seal_group(stage: Path, name: str, folder: Path) -> str:
    """Rename a finished asset folder to <name>-<content hash>; return its dist-relative URL."""
    digest = hashlib.sha256()
    for path in files_under(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(sha256_file(path).encode() + b"\n")
    sealed = stage / "assets" / f"{name}-{digest.hexdigest()[:12]}"
    folder.rename(sealed)
    return sealed.relative_to(stage).as_posix() + "/"


def new_group(stage: Path, name: str) -> Path:
    folder = stage / "assets" / f"{name}.tmp"
    folder.mkdir(parents=True)
    return folder


# ---------------------------------------------------------------- phase 1: vendor


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


# ---------------------------------------------------------------- phase 2: client


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


# ---------------------------------------------------------------- phase 3: wheels


def parse_wheelhouse(path: Path) -> list[tuple[str, str, str]]:
    """Read wheelhouse.txt lines `name==version --hash=sha256:<hex>`."""
    pins = []
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})", line)
        if not match:
            raise BuildError(f"{path.name}:{number}: expected `name==version --hash=sha256:...`")
        pins.append((match[1], match[2], match[3]))
    return pins


def fetch_wheels(cache: Path, offline: bool) -> dict[str, Path]:
    """Return {normalised name: wheel path}, downloading what the cache lacks."""
    pins = parse_wheelhouse(ROOT / "wheelhouse.txt")
    cache.mkdir(parents=True, exist_ok=True)

    def find(name: str, version: str, digest: str) -> Path | None:
        stem = re.sub(r"[-_.]+", "_", name).lower()
        for path in cache.glob("*.whl"):
            parts = path.name.split("-")
            if parts[0].lower() == stem and parts[1] == version and sha256_file(path) == digest:
                return path
        return None

    missing = [pin for pin in pins if find(*pin) is None]
    if missing:
        if offline:
            names = ", ".join(f"{n}=={v}" for n, v, _ in missing)
            raise BuildError(f"--offline, and these wheels are not cached: {names}")
        log(f"downloading {len(missing)} wheel(s) from the package index")
        requirements = cache / "requirements.txt"
        requirements.write_text("".join(f"{n}=={v} --hash=sha256:{h}\n" for n, v, h in missing))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                "3.14",
                "--platform",
                "any",
                "--implementation",
                "py",
                "--require-hashes",
                "-r",
                str(requirements),
                "-d",
                str(cache),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BuildError(f"pip download failed:\n{result.stderr.strip()}")
    wheels = {}
    for name, version, digest in pins:
        path = find(name, version, digest)
        if path is None:
            raise BuildError(f"wheel {name}=={version} with the pinned hash is not available")
        wheels[re.sub(r"[-_.]+", "-", name).lower()] = path
    return wheels


def write_wheelhouse(stage: Path, wheels: dict[str, Path]) -> str:
    """Wheels plus a static PEP 503 index, so micropip installs offline from our origin."""
    folder = new_group(stage, "wheelhouse")
    (folder / "wheels").mkdir()
    (folder / "simple").mkdir()
    links = []
    for name in sorted(wheels):
        wheel = wheels[name]
        shutil.copyfile(wheel, folder / "wheels" / wheel.name)
        page = folder / "simple" / name / "index.html"
        page.parent.mkdir()
        href = f"../../wheels/{wheel.name}#sha256={sha256_file(wheel)}"
        page.write_text(
            f'<!doctype html>\n<html><body>\n<a href="{href}">{wheel.name}</a>\n</body></html>\n'
        )
        links.append(f'<a href="{name}/">{name}</a>')
    (folder / "simple" / "index.html").write_text(
        "<!doctype html>\n<html><body>\n" + "\n".join(links) + "\n</body></html>\n"
    )
    return seal_group(stage, "wheelhouse", folder)


# ---------------------------------------------------------------- phase 4: shell


def render_shell(
    stage: Path, assets: dict[str, str], build_id: str, base: str = "/", static_only: bool = False
) -> None:
    config = {
        # Without an explicit interpreter PyScript would fetch Pyodide from a CDN. PyScript
        # resolves these against the page's URL, not <base>: write them from the site root
        # so deep links (/p/<id>) work too.
        "interpreter": f"{base}{assets['pyodide']}boot.mjs",
        "files": {f"{base}{assets['client']}client.zip": "./*"},
        # PyScript's optional plugins (its own editor, terminal, game canvas) are not used;
        # skipping them saves six requests at boot. The error plugin stays: index.html
        # watches the nodes it adds.
        "plugins": [f"!{name}" for name in PYSCRIPT_UNUSED_PLUGINS],
    }
    (stage / "pyscript.json").write_text(json.dumps(config, indent=1, sort_keys=True) + "\n")
    urls = {name: f"./{url}" for name, url in assets.items()}
    urls["pyscript_config"] = "./pyscript.json"
    versions = {
        name: npm_version(name)
        for name in [
            "pyodide",
            "@pyscript/core",
            "monaco-editor",
            "@xterm/xterm",
            "@webcontainer/api",
        ]
    }
    mode = "static" if static_only else "server"
    payload = json.dumps({"assets": urls, "versions": versions, "mode": mode}, sort_keys=True)
    payload = payload.replace("<", "\\u003c")  # never let JSON close the <script> element
    html = (ROOT / "index.html").read_text()
    html = html.replace("{{ASSETS_JSON}}", payload).replace("{{BUILD_ID}}", build_id)
    html = html.replace("{{PYSCRIPT_CONFIG}}", "./pyscript.json").replace("{{BASE}}", base)
    html = re.sub(r"\{\{ASSET:(\w+)\}\}", lambda m: f"./{assets[m[1]]}", html)
    leftover = re.search(r"\{\{[^}]*\}\}", html)
    if leftover:
        raise BuildError(f"index.html has an unknown slot {leftover[0]}")
    (stage / "index.html").write_text(html)


def service_worker_rules() -> str:
    """service_worker/routes.js with the app's shell routes (contract/app_routes.json)
    written in front as APP_ROUTES: the routing rules as dist/sw.js carries them."""
    routes = json.loads((ROOT / "contract" / "app_routes.json").read_text())
    return (
        f"const APP_ROUTES = {json.dumps(routes['shell'])};\n"
        + (ROOT / "service_worker" / "routes.js").read_text()
    )


def render_service_worker(stage: Path, build_id: str, static_only: bool = False) -> None:
    """dist/sw.js: the routing rules and the worker in one classic script, stamped with the
    build id, so each build is a new worker to the browser (service_worker/sw.js says why).
    It finds its paths from its own scope, so it needs no base. A static-only site's worker
    also adds the isolation headers a static host may not send."""
    script = (
        f"// CosPAI IDE service worker, build {build_id}. Generated by build.py.\n"
        f'const BUILD_ID = "{build_id}";\n'
        f"const STATIC_ONLY = {'true' if static_only else 'false'};\n\n"
        + service_worker_rules()
        + "\n"
        + (ROOT / "service_worker" / "sw.js").read_text()
    )
    (stage / "sw.js").write_text(script)


# Netlify and Cloudflare Pages read these two files; other hosts: see README (Static hosting).
HEADERS_FILE = """\
# Cross-origin isolation (SharedArrayBuffer: Ctrl+C and input() in the terminal). Without
# these, the service worker adds them itself after the first load.
{base}*
  Cross-Origin-Opener-Policy: same-origin
  Cross-Origin-Embedder-Policy: require-corp
  Cross-Origin-Resource-Policy: same-origin
  X-Content-Type-Options: nosniff
{base}assets/*
  Cache-Control: public, max-age=31536000, immutable
{base}sw.js
  Cache-Control: no-cache
{base}index.html
  Cache-Control: no-cache
"""
REDIRECTS_FILE = """\
# The IDE's own routes are pages of the single index.html.
{base}p/*  {base}index.html  200
{base}projects  {base}index.html  200
"""


def write_static_host_files(stage: Path, base: str) -> None:
    """_headers and _redirects for static hosts that read them (--static-only)."""
    (stage / "_headers").write_text(HEADERS_FILE.format(base=base))
    (stage / "_redirects").write_text(REDIRECTS_FILE.format(base=base))


# ---------------------------------------------------------------- phase 5: compress


def _compress(job: tuple[str, str]) -> tuple[str, bytes, bytes]:
    import brotli  # the build runs in the project venv, which pins it

    path, _digest = job
    data = Path(path).read_bytes()
    return path, brotli.compress(data, quality=11), gzip.compress(data, 9, mtime=0)


def precompress(stage: Path, cache: Path, only: list[Path] | None = None) -> None:
    """Write .br/.gz variants; results are cached by content hash, since brotli -11 is slow."""
    cache.mkdir(parents=True, exist_ok=True)
    targets = only if only is not None else files_under(stage)
    jobs = []
    for path in targets:
        if path.suffix not in COMPRESSIBLE:
            continue
        digest = sha256_file(path)
        cached_br, cached_gz = cache / f"{digest}.br", cache / f"{digest}.gz"
        if cached_br.exists() and cached_gz.exists():
            continue
        jobs.append((str(path), digest))
    if jobs:
        log(f"compressing {len(jobs)} file(s) (cached afterwards)")
        with ProcessPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            largest_first = sorted(jobs, key=lambda job: -os.path.getsize(job[0]))
            for name, br, gz in pool.map(_compress, largest_first):
                digest = dict(jobs)[name]
                (cache / f"{digest}.br.tmp").write_bytes(br)
                (cache / f"{digest}.gz.tmp").write_bytes(gz)
                os.replace(cache / f"{digest}.br.tmp", cache / f"{digest}.br")
                os.replace(cache / f"{digest}.gz.tmp", cache / f"{digest}.gz")
    for path in targets:
        if path.suffix not in COMPRESSIBLE:
            continue
        digest, size = sha256_file(path), path.stat().st_size
        for encoding in ("br", "gz"):
            variant = (cache / f"{digest}.{encoding}").read_bytes()
            if len(variant) <= size * (1 - MIN_SAVING):
                path.with_name(f"{path.name}.{encoding}").write_bytes(variant)


# ---------------------------------------------------------------- phase 6: manifest


class Variant(TypedDict):
    sha256: str
    size: int


class FileEntry(TypedDict):
    sha256: str
    size: int
    encodings: NotRequired[dict[str, Variant]]  # "br", "gz": the precompressed copies


class Manifest(TypedDict):
    build_id: str
    files: dict[str, FileEntry]
    format: int


def describe_files(stage: Path) -> dict[str, FileEntry]:
    files: dict[str, FileEntry] = {}
    for path in files_under(stage):
        relative = path.relative_to(stage).as_posix()
        if path.suffix in {".br", ".gz"} and path.with_suffix("").exists():
            continue  # a variant: listed under its original
        entry: FileEntry = {"sha256": sha256_file(path), "size": path.stat().st_size}
        encodings: dict[str, Variant] = {}
        for encoding in ("br", "gz"):
            variant = path.with_name(f"{path.name}.{encoding}")
            if variant.exists():
                size = variant.stat().st_size
                encodings[encoding] = {"sha256": sha256_file(variant), "size": size}
        if encodings:
            entry["encodings"] = encodings
        files[relative] = entry
    return files


def compute_build_id(files: dict[str, FileEntry], static_only: bool = False) -> str:
    canonical = json.dumps(
        {k: v for k, v in files.items() if k not in UNVERSIONED}, sort_keys=True
    ).encode()
    # The two kinds of site must not share a build id: the service worker names its cache
    # after it, and the shells differ.
    return sha256_bytes(canonical + (b"static-only" if static_only else b""))[:16]


def write_manifest(stage: Path, build_id: str) -> Manifest:
    manifest: Manifest = {"build_id": build_id, "files": describe_files(stage), "format": 1}
    (stage / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


# ---------------------------------------------------------------- driver


def build(
    out: Path,
    cache: Path,
    offline: bool,
    compress: bool,
    base: str = "/",
    static_only: bool = False,
) -> Manifest:
    out.parent.mkdir(parents=True, exist_ok=True)
    # Work beside the output (same file system, so the final rename is atomic); one folder
    # per process, so two builds at once never share a stage.
    work = out.parent / f".{out.name}.build-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    stage = work / "dist"
    try:
        (stage / "assets").mkdir(parents=True)

        log("phase wheels: pinned wheelhouse")
        wheels = fetch_wheels(cache / "wheels", offline)
        assets = {}
        log("phase vendor: pyodide, pyscript, monaco, xterm, webcontainer")
        assets["pyodide"] = vendor_pyodide(stage, wheels)
        assets["pyscript"] = vendor_pyscript(stage)
        assets["monaco"] = vendor_monaco(stage)
        assets["xterm"] = vendor_xterm(stage)
        assets["webcontainer"] = vendor_webcontainer(stage)
        log("phase client: client/ package")
        assets["client"] = pack_client(stage)
        copy_sandbox_origin(stage)
        assets["wheelhouse"] = write_wheelhouse(stage, wheels)

        # The build id covers every versioned asset; the shell embeds it, so it comes after them.
        if compress:
            log("phase compress: brotli + gzip")
            precompress(stage, cache / "compressed")
        build_id = compute_build_id(describe_files(stage), static_only)
        log("phase shell: index.html, pyscript.json")
        render_shell(stage, assets, build_id, base, static_only)
        render_service_worker(stage, build_id, static_only)
        if static_only:
            write_static_host_files(stage, base)
        if compress:
            shell = [stage / "index.html", stage / "pyscript.json", stage / "sw.js"]
            precompress(stage, cache / "compressed", only=shell)
        log("phase manifest")
        manifest = write_manifest(stage, build_id)

        # Swap in the new dist/ whole, so a server never sees a half-written one.
        old = work / "old"
        if out.exists():
            out.rename(old)
        stage.rename(out)

    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "cospai-build"


def main(argv: list[str] | None = None) -> int:
    global QUIET
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description=(
            "Build dist/, the static site of CosPAI IDE: vendored Pyodide, PyScript, Monaco, "
            "xterm and WebContainer client, the client/ package, a pure-Python wheelhouse with "
            "a PEP 503 index, precompressed .br/.gz files, manifest.json with the build id, and "
            "sw.js, the service worker that makes the IDE load offline after one visit. "
            "Needs `npm ci` first. Same inputs give byte-identical output."
        ),
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "dist",
        help="output folder (default: dist/ beside this file)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=default_cache(),
        help="where downloaded wheels and compressed variants are kept "
        "(default: $XDG_CACHE_HOME/cospai-build or ~/.cache/cospai-build)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="never download; fail if a pinned wheel is not in the cache",
    )
    parser.add_argument(
        "--no-compress",
        action="store_true",
        help="skip the .br/.gz variants (quicker; the server then sends raw files)",
    )
    parser.add_argument(
        "--base", default="/", help="the URL path the site is served under, e.g. /ide/ (default /)"
    )
    parser.add_argument(
        "--static-only",
        action="store_true",
        help="a site for any static host, no server: projects stay in the "
        "browser (IndexedDB), no accounts or sync; adds _headers and "
        "_redirects (see README, Static hosting)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)
    QUIET = args.quiet
    try:
        base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
        manifest = build(
            args.out.resolve(),
            args.cache,
            args.offline,
            not args.no_compress,
            base,
            args.static_only,
        )
    except BuildError as error:
        print(f"build: error: {error}", file=sys.stderr)
        return 1
    total = sum(entry["size"] for entry in manifest["files"].values())
    count, build_id = len(manifest["files"]), manifest["build_id"]
    log(f"done: {count} files, {total / 1e6:.1f} MB, build {build_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
