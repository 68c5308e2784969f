"""Fault-injection soak: a few hundred random edits while the server fails at random and
the page reloads; at the end the server, IndexedDB and the page agree byte for byte.

`COSPAI_SOAK_SEED=N` runs another interleaving (bench/soak_loop.py runs many), and
`COSPAI_SOAK_SEED=N:M` names the steps' and the faults' seeds apart. Unset, the seeds are
fixed, so `make test` runs the same steps every time."""

from __future__ import annotations

import json
import os
import random

from playwright.sync_api import BrowserContext, Page, Route

from tests.e2e import flows
from tests.e2e.test_workbench_sync import server_files
from tests.support.live_server import LiveServer

STEPS = 300
DEFAULT_SEEDS = (20261125, 7)  # (steps, faults)
PATHS = ["index.html", "a.txt", "b.txt", "src/c.js", "src/d.js", "docs/e.md", "docs/f.md"]

IDB_FILES_JS = """(project) => new Promise((resolve, reject) => {
    const open = indexedDB.open("cospai");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction("files", "readonly");
        const req = tx.objectStore("files").index("by_project").getAll(IDBKeyRange.only(project));
        req.onsuccess = () => {
            const out = {};
            for (const row of req.result) out[row.path] = new TextDecoder().decode(row.content);
            db.close();
            resolve(out);
        };
        req.onerror = () => reject(req.error);
    };
})"""


def soak_seeds() -> tuple[int, int]:
    """(steps seed, faults seed): the fixed pair, or from COSPAI_SOAK_SEED ("N": the
    faults' seed derived from N; "N:M": both given)."""
    raw = os.environ.get("COSPAI_SOAK_SEED", "").strip()
    if not raw:
        return DEFAULT_SEEDS
    steps, _, faults = raw.partition(":")
    seed = int(steps)
    return seed, int(faults) if faults else random.Random(f"faults-{seed}").randrange(2**32)


def page_files(page: Page) -> dict[str, str]:
    return json.loads(page.evaluate("window.cospaiDebug.files()"))


def test_random_edits_failures_and_reloads_converge(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    steps_seed, faults_seed = soak_seeds()
    print(f"soak seeds: COSPAI_SOAK_SEED={steps_seed}:{faults_seed}")
    rnd = random.Random(steps_seed)
    flows.sign_up(page, live_server.url)
    project = flows.create_project(page, "soak")
    faults = random.Random(faults_seed)  # its own stream: the route handler runs at its own times
    failing = {"on": True, "count": 0}

    def flaky(route: Route) -> None:
        # The first request sent while failures are on always fails: with few requests
        # (backoff spaces them out), some seeds otherwise drew no failure at all.
        if failing["on"] and (faults.random() < 0.4 or failing["count"] == 0):
            failing["count"] += 1
            if faults.random() < 0.5:
                route.fulfill(status=503, body="{}")
            else:
                route.abort("connectionreset")
            return
        route.continue_()

    page.route(f"**/api/projects/{project}/sync", flaky)
    page.goto(f"{live_server.url}/p/{project}?debug=1")
    flows.wait_for_workbench(page)
    expected: dict[str, str] = {}
    reloads = 0
    for step in range(STEPS):
        roll = rnd.random()
        if roll < 0.65:
            path = rnd.choice(PATHS)
            text = f"step {step} {rnd.random()}\n" * rnd.randint(1, 5)
            page.evaluate("([p, t]) => window.cospaiDebug.write(p, t)", [path, text])
            expected[path] = text
        elif roll < 0.8 and expected:
            path = rnd.choice(sorted(expected))
            page.evaluate("(p) => window.cospaiDebug.remove(p)", path)
            del expected[path]
        elif roll < 0.9:
            failing["on"] = not failing["on"]
        elif roll < 0.95:
            page.keyboard.press("Control+s")
        else:
            page.reload()
            flows.wait_for_workbench(page)
            reloads += 1
            shown = page_files(page)
            diff = {
                p: (shown.get(p, "<absent>")[:40], expected.get(p, "<absent>")[:40])
                for p in set(shown) | set(expected)
                if shown.get(p) != expected.get(p)
            }
            assert not diff, f"lost edits at step {step} (shown, expected): {diff}"
        if step % 25 == 0:
            page.wait_for_timeout(rnd.randint(0, 400))

    failing["on"] = False
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1500)
    # A reload while a push was on its way can leave the page unsure whether the server
    # took it. The page remembers what it sent, which settles most such cases; whatever
    # is left comes back as a conflict (never an overwrite), and the user keeps theirs.
    for _ in range(10):
        banner = page.locator("#conflict-banner button.conflict-file")
        if banner.count() == 0:
            break
        banner.first.click()
        page.click('#conflict-view button[data-choice="mine"]')
        page.wait_for_timeout(300)
    try:
        page.wait_for_function(
            "document.documentElement.dataset.syncState === 'saved'", timeout=60_000
        )
    except Exception as error:
        status = page.inner_text("#status-text")
        conflicts = page.evaluate("document.documentElement.dataset.conflicts")
        raise AssertionError(f"never saved: {status!r}, conflicts {conflicts}") from error
    page.wait_for_timeout(1200)  # the 1 s cache debounce
    assert reloads > 0 and failing["count"] > 0  # the faults really happened
    assert page_files(page) == expected
    assert server_files(context, live_server.url, project) == expected
    assert page.evaluate(IDB_FILES_JS, project) == expected
