"""The app service worker's path rules (service_worker/routes.js), run under Node: which
strategy each URL gets and what is precached, at the site root and under a sub-path
(build.py --base /ide/), and the generated dist/sw.js around them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from builder import client, manifest, shell
from tests.support.node import node_json
from tests.support.paths import ROOT

CALLS = """
const calls = JSON.parse(process.argv[1]);
console.log(JSON.stringify(calls.map(([name, ...args]) => module.exports[name](...args))));
"""


def call_routes(*calls: tuple) -> list:
    """Call the routing rules as dist/sw.js carries them (builder.shell.service_worker_rules)."""
    return list(node_json("-e", shell.service_worker_rules() + CALLS, json.dumps(calls)))


@pytest.mark.parametrize("scope", ["https://ide.example/", "https://ide.example/ide/"])
def test_strategy_for_each_kind_of_url(scope: str) -> None:
    cases = {
        "": "shell",
        "index.html": "shell",
        "projects": "shell",
        "signin": "shell",
        "signup": "shell",
        "embed": "network",  # framed by other sites, with its own headers: never cached
        "p/0ccf538d-384b-4ca8": "shell",
        "p/42?file=src/App.jsx&line=12": "shell",
        "pyscript.json": "config",
        "manifest.json": "config",
        "assets/pyodide-0bdaa660f666/pyodide.asm.wasm": "asset",
        "assets/client-62430a8b567b/client.zip": "asset",
        "api/auth/session": "network",
        "api/projects/1/files": "network",
        "api": "network",
        "sw.js": "network",
        "sandbox-origin/relay.html": "network",
        "p/42/extra": "network",
        "p/file.txt": "network",
        "elsewhere": "network",
    }
    got = call_routes(*[("routeFor", scope + path, scope) for path in cases])
    assert dict(zip(cases, got, strict=True)) == cases


def test_urls_outside_the_scope_are_never_answered() -> None:
    scope = "https://ide.example/ide/"
    got = call_routes(
        ("routeFor", "https://ide.example/assets/x-1/a.js", scope),  # the root, not /ide/
        ("routeFor", "https://ide.example/p/42", scope),
        ("routeFor", "https://other.example/ide/assets/x-1/a.js", scope),
        ("routeFor", "https://ide.example/ide-old/assets/x-1/a.js", "https://ide.example/ide"),
    )
    assert got == ["network"] * 4


def test_cache_keys_fold_app_routes_onto_the_shell_and_drop_queries() -> None:
    scope = "https://ide.example/ide/"
    got = call_routes(
        ("cacheKeyFor", scope + "p/42?file=a.py", scope),
        ("cacheKeyFor", scope + "projects", scope),
        ("cacheKeyFor", scope + "?reset-sw=1", scope),
        ("cacheKeyFor", scope + "pyscript.json?x=1", scope),
        ("cacheKeyFor", scope + "assets/monaco-1/monaco.js#top", scope),
        ("cacheKeyFor", scope + "assets/wheelhouse-1/simple/click/", scope),
    )
    assert got == [
        scope + "index.html",
        scope + "index.html",
        scope + "index.html",
        scope + "pyscript.json",
        scope + "assets/monaco-1/monaco.js",
        scope + "assets/wheelhouse-1/simple/click/index.html",
    ]


def test_precache_takes_all_but_the_sandbox_origin_and_the_worker() -> None:
    manifest: dict[str, dict[str, dict[str, str]]] = {
        "files": {
            name: {}
            for name in [
                "index.html",
                "pyscript.json",
                "sw.js",
                "sandbox-origin/relay.html",
                "sandbox-origin/sw.js",
                "assets/wheelhouse-1/wheels/pytest.whl",
                "_headers",
                "_redirects",
                "assets/pyodide-1/pyodide.asm.wasm",
                "manifest.json",
            ]
        }
    }
    [listed] = call_routes(("precacheList", manifest))
    assert listed == [
        "assets/pyodide-1/pyodide.asm.wasm",
        "assets/wheelhouse-1/wheels/pytest.whl",
        "index.html",
        "manifest.json",
        "pyscript.json",
    ]


def test_cache_names_are_per_scope_and_build() -> None:
    got = call_routes(
        ("cacheName", "https://x/", "abc"),
        ("cacheName", "https://x/ide/", "abc"),
        ("cachePrefix", "https://x/ide/"),
        ("wantsReset", "https://x/ide/?reset-sw=1"),
        ("wantsReset", "https://x/ide/p/1?reset-sw=0"),
    )
    assert got == ["cospai-app:/:abc", "cospai-app:/ide/:abc", "cospai-app:/ide/:", True, False]


def test_generated_worker_carries_the_build_id_and_the_rules(tmp_path: Path) -> None:
    shell.render_service_worker(tmp_path, "0123456789abcdef")
    script = (tmp_path / "sw.js").read_text()
    assert 'const BUILD_ID = "0123456789abcdef";' in script
    assert "const STATIC_ONLY = false;" in script
    assert script.index("function routeFor(") < script.index('addEventListener("fetch"')
    _node_check(tmp_path / "sw.js")


def _js_object(script: str, name: str) -> dict[str, str]:
    start = script.index(f"const {name} = ") + len(f"const {name} = ")
    return json.loads(script[start : script.index("};", start) + 1])


def _node_check(path: Path) -> None:
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, "--check", str(path)], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr


def test_both_workers_send_the_isolation_headers_the_server_sends(tmp_path: Path) -> None:
    """One source (contract/isolation.py) for the server's headers and the workers'."""
    from contract import isolation
    from server.headers import ISOLATION_HEADERS
    from server.sandbox_site import HEADERS as SANDBOX_HEADERS

    shell.render_service_worker(tmp_path, "0123456789abcdef", static_only=True)
    assert _js_object((tmp_path / "sw.js").read_text(), "ISOLATION") == isolation.IDE
    client.copy_sandbox_origin(tmp_path)
    sandbox_worker = tmp_path / "sandbox-origin" / "sw.js"
    script = sandbox_worker.read_text()
    assert _js_object(script, "ISOLATION") == isolation.SANDBOX
    assert script.index('"use strict";') < script.index("const ISOLATION")
    _node_check(sandbox_worker)
    sent = {name.decode(): value.decode() for name, value in ISOLATION_HEADERS}
    assert isolation.IDE.items() <= sent.items()
    assert isolation.SANDBOX.items() <= SANDBOX_HEADERS.items()


def test_index_registers_the_worker_relative_to_its_base() -> None:
    # The shell registers ./sw.js with scope ./ from <base href>, and ?reset-sw=1 clears
    # the caches of that base only: both follow build.py --base.
    html = (ROOT / "index.html").read_text()
    register = (ROOT / "service_worker" / "register.mjs").read_text()
    assert '<base href="{{BASE}}">' in html
    assert "cospai-app:${new URL(document.baseURI).pathname}:" in html
    assert 'register(scriptUrl, { scope: "./" })' in register
    assert 'scriptUrl = "./sw.js"' in register


def test_static_only_worker_and_host_files(tmp_path: Path) -> None:
    shell.render_service_worker(tmp_path, "0123456789abcdef", static_only=True)
    assert "const STATIC_ONLY = true;" in (tmp_path / "sw.js").read_text()
    shell.write_static_host_files(tmp_path, "/ide/")
    headers = (tmp_path / "_headers").read_text()
    assert "/ide/*\n  Cross-Origin-Opener-Policy: same-origin\n" in headers
    assert "  Cross-Origin-Embedder-Policy: require-corp\n" in headers
    assert "/ide/p/*  /ide/index.html  200" in (tmp_path / "_redirects").read_text()
    files: dict[str, manifest.FileEntry] = {"a": {"sha256": "x", "size": 1}}
    assert manifest.compute_build_id(files) != manifest.compute_build_id(files, static_only=True)
