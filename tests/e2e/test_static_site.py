"""`build.py --static-only` served by a plain static server (`python -m http.server`, which
sends no COOP/COEP and knows no app routes), under a sub-path (/ide/): projects live in
this browser, a banner says so, the service worker makes the page cross-origin isolated
after one reload, and a project created and edited there is still there after a reload.
Built with `--sandbox-host`, its sandbox site (dist/sandbox-site/ on a second static host,
a site per project under *.localhost) runs the project's code in the terminal."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import flows
from tests.e2e.test_boot import wait_for_boot
from tests.e2e.test_terminal import type_line, wait_for_prompt, wait_for_text
from tests.support.browser import off_machine
from tests.support.builds import build_site
from tests.support.static_host import StaticHost


@dataclass
class StaticSites:
    ide: str  # the IDE's static site (its URL, under /ide)
    sandbox: str  # the sandbox site's origin pattern the build was given


@pytest.fixture(scope="module")
def static_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSites]:
    # Built for a sub-path and served from a folder of that name, as on a shared host; its
    # sandbox site (where code runs) served by a second host that applies its _headers.
    root = tmp_path_factory.mktemp("static") / "site"
    out = root / "ide"
    with StaticHost(out / "sandbox-site") as sandbox_host:
        pattern = f"http://{{project}}.localhost:{sandbox_host.port}"
        build_site(out, "--static-only", "--base", "/ide/", "--sandbox-host", pattern)
        server = subprocess.Popen(
            [
                sys.executable,
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "-d",
                str(root),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert server.stdout is not None
        line = server.stdout.readline()
        port = re.search(r"port (\d+)", line)
        assert port, line
        # Drain its access log so the pipe never fills.
        drain = threading.Thread(target=server.stdout.read, daemon=True)
        drain.start()
        yield StaticSites(f"http://127.0.0.1:{port[1]}/ide", pattern)
        server.terminate()
        server.wait(10)
        drain.join(5)
        server.stdout.close()


@pytest.fixture(scope="module")
def static_site(static_sites: StaticSites) -> str:
    return static_sites.ide


def new_local_project(page: Page, name: str) -> str:
    """From the local dashboard: a new project's id, its workbench open."""
    # The host sends no isolation headers: the worker adds them, after one automatic reload.
    page.wait_for_function("crossOriginIsolated === true", timeout=90_000)
    assert wait_for_boot(page) == "ready"
    page.fill("#new-project input[name=name]", name)
    page.click("#new-project button[type=submit]")
    flows.wait_for_workbench(page)
    return page.url.rsplit("/p/", 1)[1]


def test_static_site_keeps_projects_in_the_browser(
    page: Page,
    static_site: str,
    request_log: list[str],
    artifacts: Path,
) -> None:
    page.goto(static_site + "/")
    assert wait_for_boot(page) == "ready"
    expect(page.locator("#static-banner")).to_contain_text("Local only")
    expect(page.locator("#static-notice")).to_contain_text("no accounts, no sync")
    project = new_local_project(page, "kept here")
    page.click('#explorer .tree-title button[data-action="newFile"]')
    page.locator("#file-tree input.tree-input").fill("notes.txt")
    page.keyboard.press("Enter")
    flows.open_file(page, "notes.txt")
    flows.type_at_start(page, "written offline-first\n")
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=20_000)
    expect(page.locator("#header-title")).to_have_text("kept here")
    page.screenshot(path=artifacts / "static-site.png")

    page.reload()  # /p/<id> is no file on this host: the worker answers with the shell
    assert wait_for_boot(page) == "ready"
    flows.wait_for_workbench(page)
    assert page.url.endswith(f"/ide/p/{project}")
    assert flows.model_text(page, "notes.txt") == "written offline-first\n"
    page.goto(static_site + "/")
    assert wait_for_boot(page) == "ready"
    expect(page.locator(f'li[data-project-id="{project}"]')).to_contain_text("kept here")
    assert off_machine(request_log) == []


def test_code_runs_on_the_static_builds_sandbox_site(
    page: Page,
    static_sites: StaticSites,
    request_log: list[str],
    artifacts: Path,
) -> None:
    page.goto(static_sites.ide + "/")
    project = new_local_project(page, "runs code")
    wait_for_prompt(page)
    type_line(page, 'python -c "import js; print(6 * 7, js.location.host)"')
    # The code ran on this project's own sandbox site, not on the IDE's origin.
    key = "p" + re.sub("[^a-z0-9]", "", project.lower())
    sandbox = static_sites.sandbox.replace("{project}", key)
    wait_for_text(page, f"42 {sandbox.split('//', 1)[1]}")
    frames = [frame.url for frame in page.frames]
    assert any(url.startswith(sandbox + "/runtime.html") for url in frames), frames
    page.screenshot(path=artifacts / "static-site-sandbox.png")
    assert off_machine(request_log) == []
