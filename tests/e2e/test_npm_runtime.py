"""`npm` in the runtime's terminal, in real Chromium against a live server whose package
mirror was seeded with tarballs the host's `npm pack` made (tests/support/npm_graph.py;
its upstream knows no package, so nothing leaves this machine).

A user installs packages (a conflict nests, a peer comes along, a bin is linked, a
package for another platform is skipped), sees `npm ls`; package.json and
package-lock.json sync to the server and node_modules never does; then, offline after a
reload, node_modules comes back by itself from what the sandbox kept, and `npm ci` works
without the network."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e import flows
from tests.e2e.seed import server_files
from tests.e2e.test_offline import (  # noqa: F401  (fixtures: Chromium as Chrome ships)
    partitioned_context,
    partitioned_page,
    reload_offline,
    wait_offline_ready,
    wait_sandbox_offline_ready,
)
from tests.e2e.test_terminal import type_line, wait_for_prompt, wait_for_text
from tests.support.browser import off_machine
from tests.support.cli import run_cli
from tests.support.live_server import StartServer
from tests.support.mirror import empty_registry, serving
from tests.support.npm_graph import name, pack

LEFT, OLD, PLUGIN, TOOL = name("left"), name("old"), name("plugin"), name("tool")
KEPT = "async () => (await (await caches.open('cospai-mirror-npm')).keys()).map((r) => r.url)"


def test_npm_installs_from_the_mirror_and_node_modules_returns_offline(
    page: Page,
    start_server: StartServer,
    request_log: list[str],
    tmp_path: Path,
    artifacts: Path,
) -> None:
    with serving(empty_registry) as (upstream, _counting):
        server = start_server(
            extra_env={"COSPAI_NPM_UPSTREAM": f"{upstream.url}/", "COSPAI_PYPI_UPSTREAM": "none"}
        )
        seeded = run_cli("mirror", "seed", str(pack(tmp_path)), database_url=server.database_url)
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr

        flows.sign_up(page, server.url)
        project = flows.create_project(page, "npm from the mirror", "python-cli")
        wait_for_prompt(page)
        type_line(page, f"npm install {LEFT} {OLD} {PLUGIN}")
        wait_for_text(page, "added 6 packages in", 60_000)
        type_line(page, f"npm i -D {TOOL}")
        wait_for_text(page, "added 1 package in", 60_000)
        wait_for_text(page, f"built for a native platform: {name('native-darwin')}@1.0.0")
        type_line(page, "ls node_modules/.bin && npm ls")
        wait_for_text(page, "cospai-tool")
        wait_for_text(page, f"└── {TOOL}@1.0.0")
        type_line(page, "npm install cospai-t-nope")
        wait_for_text(page, "npm error 404 Not Found: cospai-t-nope is not in the registry", 60_000)
        page.screenshot(path=artifacts / "npm-install.png")

        # package.json and the lock sync; node_modules never does.
        def synced() -> dict[str, bytes]:
            return server_files(page, project)

        page.wait_for_function(
            "() => document.documentElement.dataset.syncState === 'saved'", timeout=30_000
        )
        files = synced()
        assert json.loads(files["package.json"])["devDependencies"] == {TOOL: "^1.0.0"}
        lock = json.loads(files["package-lock.json"])
        assert lock["lockfileVersion"] == 3
        assert f"node_modules/{OLD}/node_modules/{name('right')}" in lock["packages"]
        assert not [path for path in files if path.startswith("node_modules")]

        wait_offline_ready(page)
        wait_sandbox_offline_ready(page)
        (runtime,) = [frame for frame in page.frames if "/runtime.html" in frame.url]
        kept = runtime.evaluate(KEPT)
        assert any(url.endswith(f"/{TOOL}/-/{TOOL}-1.0.0.tgz") for url in kept), kept
        reload_offline(page)
        wait_for_prompt(page)
        # Restored by itself from the kept tarballs (npm waits for the restore to finish).
        type_line(page, "clear && npm ls")
        wait_for_text(page, f"├── {OLD}@1.0.0", 60_000)
        type_line(page, "rm -rf node_modules && npm ci && ls node_modules")
        wait_for_text(page, "added 7 packages in", 60_000)
        wait_for_text(page, PLUGIN)
        page.screenshot(path=artifacts / "npm-offline.png")
        page.context.set_offline(False)

    assert off_machine(request_log) == []
