"""The Runtime contract (tests/contract/runtime_contract.py) against the real Pyodide
engine: the page (with ?debug=1) runs each check with a freshly booted worker and hands
back the results as JSON. The same file runs under CPython in tests/unit/runtime."""

from __future__ import annotations

import json

from playwright.sync_api import Page

from tests.contract.runtime_contract import CONTRACTS
from tests.e2e import flows, seed
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer
from tests.support.paths import ROOT


def test_the_contract_passes_against_the_pyodide_engine(
    page: Page, live_server: LiveServer, request_log: list[str]
) -> None:
    flows.sign_up(page, live_server.url)
    seed.new_project(page, "contract", {"README.md": "contract run\n"}, query="?debug=1")
    page.wait_for_function("window.cospaiRuntime !== undefined", timeout=60_000)
    source = (ROOT / "tests" / "contract" / "runtime_contract.py").read_text()
    results = json.loads(page.evaluate("(source) => window.cospaiRuntime.contract(source)", source))
    assert sorted(results) == sorted(CONTRACTS)
    failed = {name: why for name, why in results.items() if why != "passed"}
    assert failed == {}, "\n\n".join(f"{n}:\n{w}" for n, w in failed.items())
    assert off_machine(request_log) == []
