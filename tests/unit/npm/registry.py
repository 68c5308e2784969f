"""A hand-built npm registry for the installer's tests: packuments kept in memory, served
to our resolver as an async callable, and over HTTP (a thread on 127.0.0.1) to the host's
npm CLI, so both resolve the very same graph. Tarballs are never fetched: every test of
real npm runs it with --package-lock-only."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from client.core.npm import semver
from client.core.npm.errors import NoSuchPackage
from client.core.npm.tree import Tree, build_ideal_tree

BASE = "http://registry.test"


class Registry:
    """`publish` adds versions; `await registry(name)` answers like the mirror does."""

    def __init__(self, base: str = BASE) -> None:
        self.base = base
        self.docs: dict[str, dict[str, Any]] = {}
        self.requests: list[str] = []

    def publish(self, name: str, version: str, **fields: Any) -> dict[str, Any]:
        doc = self.docs.setdefault(name, {"name": name, "dist-tags": {}, "versions": {}})
        tail = name.rsplit("/", 1)[-1]
        digest = hashlib.sha512(f"{name}@{version}".encode()).digest()
        manifest: dict[str, Any] = {
            "name": name,
            "version": version,
            **fields,
            "dist": {
                "tarball": f"{self.base}/{name}/-/{tail}-{version}.tgz",
                "integrity": "sha512-" + base64.b64encode(digest).decode(),
            },
        }
        doc["versions"][version] = manifest
        releases = [v for v in doc["versions"] if not semver.Version.parse(v).prerelease]
        if releases and "latest" not in doc.get("pinned", ()):
            doc["dist-tags"]["latest"] = max(releases, key=semver.Version.parse)
        return manifest

    def tag(self, name: str, tag: str, version: str) -> None:
        self.docs[name]["dist-tags"][tag] = version
        if tag == "latest":
            self.docs[name]["pinned"] = ("latest",)

    def packument(self, name: str) -> dict[str, Any]:
        doc = self.docs.get(name)
        if doc is None:
            raise NoSuchPackage(name)
        return {k: v for k, v in doc.items() if k != "pinned"}

    async def __call__(self, name: str) -> dict[str, Any]:
        self.requests.append(name)
        await asyncio.sleep(0)
        return json.loads(json.dumps(self.packument(name)))

    def tree(self, root: dict[str, Any], **options: Any) -> Tree:
        return asyncio.run(build_ideal_tree(root, self, **options))

    @contextmanager
    def served(self) -> Iterator[str]:
        """Serve the packuments over HTTP; yields the registry URL."""
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                name = unquote(self.path.split("?", 1)[0].strip("/"))
                try:
                    doc = registry.packument(name)
                except NoSuchPackage:
                    body, status = b'{"error":"Not found"}', 404
                else:
                    text = json.dumps(doc).replace(BASE, registry.base)
                    body, status = text.encode(), 200
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            server.server_close()


def host_npm_lock(registry: Registry, root: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """package-lock.json as the host's npm writes it for `root` against `registry`."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed (make deps needs node and npm)")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "package.json").write_text(json.dumps(root, indent=2) + "\n")
    (workdir / ".npmrc").write_text("")
    with registry.served() as url:
        done = subprocess.run(
            [
                npm,
                "install",
                "--package-lock-only",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--no-update-notifier",
                f"--registry={url}",
                f"--cache={workdir / '.cache'}",
                f"--userconfig={workdir / '.npmrc'}",
                "--os=browser",
                "--cpu=wasm32",
            ],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
        )
    if done.returncode != 0:
        raise RuntimeError(f"host npm failed:\n{done.stderr[-2000:]}")
    lock: dict[str, Any] = json.loads((workdir / "package-lock.json").read_text())
    return lock


def layout(tree: Tree) -> dict[str, str]:
    """path -> version, the shape the comparison with real npm is about."""
    return {path: node.version for path, node in tree.nodes.items()}


def lock_layout(lock: dict[str, Any]) -> dict[str, str]:
    return {p: e.get("version", "") for p, e in lock["packages"].items() if p}
