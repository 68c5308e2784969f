"""The client/core unit suite, run inside Pyodide in Chromium: proven where it really runs.

The page loads a second, separate interpreter from our own assets (the IDE's stays
untouched), installs pytest from the wheelhouse through micropip, unpacks the suite and
the client package, runs pytest, and hands back a JSON summary that we compare with the
same suite collected under CPython.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

from playwright.sync_api import Page, Route

from tests.e2e.page_pyodide import pyodide_script
from tests.e2e.test_boot import wait_for_boot
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer
from tests.support.paths import ROOT

SUITE = "tests/unit/client"
ZIP_URL = "/__test-suites/core.zip"  # answered by the test itself, never by the server

RUNNER = """
import json, sys, os
import pytest

class Collector:
    def __init__(self):
        self.outcomes = {}
        self.failures = []
    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            previous = self.outcomes.get(report.nodeid)
            if previous != "failed":
                self.outcomes[report.nodeid] = report.outcome
            if report.outcome == "failed":
                self.failures.append(report.nodeid + "\\n" + str(report.longrepr)[-1500:])

os.chdir("/home/pyodide/suite")
sys.path.insert(0, "/home/pyodide/suite")
collector = Collector()
code = pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", ".", SUITE_PATH],
                   plugins=[collector])
values = list(collector.outcomes.values())
json.dumps({"exit": int(code), "passed": values.count("passed"),
            "failed": values.count("failed"), "skipped": values.count("skipped"),
            "failures": collector.failures, "python": sys.version})
"""

RUN_JS = pyodide_script(
    "{zipUrl, runner}",
    """\
    await py.loadPackage("micropip");
    const micropip = py.pyimport("micropip");
    micropip.set_index_urls([new URL(assets.wheelhouse + "simple", location.href).href]);
    await micropip.install("pytest");
    const archive = await (await fetch(zipUrl)).arrayBuffer();
    py.unpackArchive(archive, "zip", {extractDir: "/home/pyodide/suite"});
    return JSON.parse(await py.runPythonAsync(runner));
""",
)


def suite_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # client/ and contract/ (with its sync_rules.json below) as build.py packs them.
        for folder in ("client", "contract", SUITE):
            for path in sorted((ROOT / folder).rglob("*.py")):
                archive.write(path, path.relative_to(ROOT).as_posix())
        for package in ("tests", "tests/unit", "tests/support"):
            archive.writestr(f"{package}/__init__.py", "")
        archive.write(ROOT / "tests/support/coroutines.py", "tests/support/coroutines.py")
        rules = ROOT / "contract" / "sync_rules.json"
        archive.write(rules, rules.relative_to(ROOT).as_posix())
    return buffer.getvalue()


def collected_under_cpython() -> int:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", SUITE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return sum(1 for line in result.stdout.splitlines() if "::" in line)


def test_client_core_suite_passes_inside_pyodide(
    page: Page, live_server: LiveServer, request_log: list[str]
) -> None:
    expected = collected_under_cpython()
    assert expected > 0, "the client/core suite is empty"
    payload = suite_zip()

    def serve_zip(route: Route) -> None:
        route.fulfill(
            status=200,
            body=payload,
            headers={
                "content-type": "application/zip",
                "cross-origin-resource-policy": "same-origin",
            },
        )

    page.route(f"**{ZIP_URL}", serve_zip)
    page.goto(live_server.url + "/")
    assert wait_for_boot(page) == "ready"
    runner = RUNNER.replace("SUITE_PATH", repr(SUITE))
    result = page.evaluate(RUN_JS, {"zipUrl": ZIP_URL, "runner": runner})

    assert result["python"].startswith("3.14"), result["python"]
    assert result["failed"] == 0, "\n\n".join(result["failures"])
    assert result["exit"] == 0
    assert result["passed"] == expected, result
    assert off_machine(request_log) == []
