#!/usr/bin/env python3
"""Build dist/: the complete static site of CosPAI IDE.

This script and its phases (builder/, a module each) are the only code that knows dist/'s
layout. It runs the phases in order:

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
import os
import shutil
import sys
from pathlib import Path

import builder
from builder import BuildError, log
from builder.client import copy_sandbox_origin, pack_client
from builder.compress import precompress
from builder.groups import ROOT
from builder.manifest import Manifest, compute_build_id, describe_files, write_manifest
from builder.sandbox_site import check_pattern, write_sandbox_site
from builder.shell import render_service_worker, render_shell, write_static_host_files
from builder.vendor import (
    vendor_monaco,
    vendor_pyodide,
    vendor_pyscript,
    vendor_webcontainer,
    vendor_xterm,
)
from builder.wheels import fetch_wheels, write_wheelhouse


def build(
    out: Path,
    cache: Path,
    offline: bool,
    compress: bool,
    base: str = "/",
    static_only: bool = False,
    sandbox: str | None = None,
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
        build_id = compute_build_id(describe_files(stage), static_only, sandbox or "")
        log("phase shell: index.html, pyscript.json")
        render_shell(stage, assets, build_id, base, static_only, sandbox)
        render_service_worker(stage, build_id, static_only)
        if static_only:
            write_static_host_files(stage, base)
        if compress:
            shell = [stage / "index.html", stage / "pyscript.json", stage / "sw.js"]
            precompress(stage, cache / "compressed", only=shell)
        log("phase manifest")
        manifest = write_manifest(stage, build_id)
        if sandbox:
            log("phase sandbox: sandbox-site/ for the sandbox's static host")
            write_sandbox_site(stage, build_id)

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
    parser.add_argument(
        "--sandbox-host",
        metavar="PATTERN",
        help="with --static-only: the origin where user code runs, another site than the "
        "IDE's, e.g. 'https://{project}.sandbox.example.com' (a site per project; one "
        "wildcard DNS name). Writes dist/sandbox-site/ to serve there with its _headers "
        "(see README, Static hosting). Without it a static build runs no code",
    )
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)
    builder.QUIET = args.quiet
    try:
        base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
        sandbox = None
        if args.sandbox_host:
            if not args.static_only:
                raise BuildError(
                    "--sandbox-host goes with --static-only (a server names its own "
                    "sandbox: cospai serve --sandbox-host)"
                )
            sandbox = check_pattern(args.sandbox_host)
        manifest = build(
            args.out.resolve(),
            args.cache,
            args.offline,
            not args.no_compress,
            base,
            args.static_only,
            sandbox,
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
