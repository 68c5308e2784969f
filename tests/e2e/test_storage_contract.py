"""The Storage contract (tests/contract/storage_contract.py) against IndexedDbStore, over
the real IndexedDB of Chromium: a second interpreter in the page (the IDE's own stays
untouched) loads the shipped client package and this file, runs every check and hands
back the results as JSON. The same file runs against MemoryStorage in tests/unit."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.contract.storage_contract import CONTRACTS
from tests.e2e.page_pyodide import pyodide_script
from tests.e2e.test_boot import wait_for_boot
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer
from tests.support.paths import ROOT

RUNNER = """
import json, sys, uuid
sys.path.insert(0, "/home/pyodide/app")
from client.adapters.indexeddb import IndexedDbStore
import storage_contract

# Project ids of their own: the IDE's cached projects share this database.
prefix = f"storage-contract-{uuid.uuid4().hex}-"
json.dumps(await storage_contract.run_all(IndexedDbStore, prefix))
"""

RUN_JS = pyodide_script(
    "{source, runner}",
    """\
    const zipUrl = new URL(assets.client + "client.zip", location.href);
    const zip = await (await fetch(zipUrl)).arrayBuffer();
    py.unpackArchive(zip, "zip", {extractDir: "/home/pyodide/app"});
    py.FS.writeFile("/home/pyodide/app/storage_contract.py", source);
    return JSON.parse(await py.runPythonAsync(runner));
""",
)


def test_the_contract_passes_against_indexeddb(
    page: Page, live_server: LiveServer, request_log: list[str]
) -> None:
    page.goto(live_server.url + "/")
    assert wait_for_boot(page) == "ready"
    source = (ROOT / "tests" / "contract" / "storage_contract.py").read_text()
    results = page.evaluate(RUN_JS, {"source": source, "runner": RUNNER})
    assert sorted(results) == sorted(CONTRACTS)
    failed = {name: why for name, why in results.items() if why != "passed"}
    assert failed == {}, "\n\n".join(f"{n}:\n{w}" for n, w in failed.items())
    assert off_machine(request_log) == []
