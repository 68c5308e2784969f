"""The Runtime contract (tests/contract/runtime_contract.py) against the WebContainer engine,
in Chromium: the real bridge (client/adapters/webcontainer_engine.py, its ffi and glue) over
the WebContainer API double (tests/doubles/webcontainer.mjs), since StackBlitz's service
cannot be reached from the test machines. The page's ?debug=1 hook boots a fresh container
for each check and hands back the results as JSON."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.contract.runtime_contract import CONTRACTS
from tests.e2e import flows, seed
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer
from tests.support.paths import ROOT
from tests.support.webcontainer_double import use_double


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    # A service worker would answer the vendored module before the double's route can.
    return {**browser_context_args, "service_workers": "block"}


def test_the_contract_passes_against_the_webcontainer_engine(
    context: BrowserContext, page: Page, live_server: LiveServer, request_log: list[str]
) -> None:
    use_double(context)
    flows.sign_up(page, live_server.url)
    # No package.json: the IDE's own engine is Pyodide, so the page's one WebContainer is
    # free for the contract's fresh instances.
    seed.new_project(page, "wc-contract", {"README.md": "contract run\n"}, query="?debug=1")
    page.wait_for_function("window.cospaiRuntime !== undefined", timeout=60_000)
    source = (ROOT / "tests" / "contract" / "runtime_contract.py").read_text()
    run = "(source) => window.cospaiRuntime.contract(source, '', 'webcontainer')"
    results = json.loads(page.evaluate(run, source))
    assert sorted(results) == sorted(CONTRACTS)
    failed = {name: why for name, why in results.items() if why != "passed"}
    assert failed == {}, "\n\n".join(f"{n}:\n{w}" for n, w in failed.items())
    assert off_machine(request_log) == []
