"""The workbench benchmark's parts 1 and 2 (bench/workbench.py): how soon the first file of
a 200-file project can be typed into, cached and cold; and the 20,000-file tree: its first
rows, expanding every folder, and scrolling it end to end."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Playwright

from bench.workbench_probes import LONG_TASKS_START_JS, LONG_TASKS_STOP_JS, MARKS_JS, SCROLL_JS
from bench.workbench_session import (
    TIMEOUT_MS,
    Account,
    median,
    open_workbench,
    settle,
    wait_editable,
    wait_quiet,
    wait_workbench,
)

SCROLL_STEP_PX = 600


def first_editable(
    pw: Playwright, scratch: Path, account: Account, project: str, runs: int
) -> dict[str, Any]:
    url = f"{account.url}/p/{project}"
    cached: list[dict[str, Any]] = []
    context, page = open_workbench(pw, scratch / "warm", account, url)
    wait_editable(page)
    settle(page)  # the project is now in this profile's IndexedDB
    for _ in range(runs):
        page.reload()
        wait_workbench(page)
        cached.append(wait_editable(page))
    context.close()
    cold: list[dict[str, Any]] = []
    for i in range(runs):
        context, page = open_workbench(pw, scratch / f"cold-{i}", account, url)
        cold.append(wait_editable(page))
        context.close()

    def summary(samples: list[dict[str, Any]]) -> dict[str, Any]:
        gaps = [s["editable"] - s["ready"] for s in samples]
        return {
            "ms": median(gaps),
            "painted_ms": median([s["editablePainted"] - s["ready"] for s in samples]),
            "samples_ms": [round(g, 1) for g in gaps],
            "ready_to_tree_mark_ms": median([s["tree"] - s["ready"] for s in samples]),
            "ready_ms": median([s["ready"] for s in samples]),
            "files_shown": sorted({s["editablePath"] for s in samples}),
            "project_source": sorted({s["source"] for s in samples}),
        }

    return {"files": 200, "cached": summary(cached), "cold": summary(cold)}


# ------------------------------------------------------------------ 2. the 20,000-file tree


EXPAND_STEP_JS = """() => {
  const list = document.getElementById('file-tree');
  const row = list.querySelector('.tree-row[data-focused="true"]');
  return { rows: Number(document.documentElement.dataset.treeRows),
           focused: document.activeElement === list,
           kind: row && row.getAttribute('data-kind'),
           open: row && row.getAttribute('aria-expanded') === 'true' };
}"""


def expand_all(page: Page) -> dict[str, Any]:
    """Collapse All, then from the last folder upwards: Right opens it, Up goes to the
    folder above (still closed, so it is the previous row). The focused row is checked
    before each key, and the tree focused again if something took the focus."""
    page.click('#explorer button[data-action="collapseAll"]')
    folders = int(page.evaluate("document.documentElement.dataset.treeRows"))
    page.focus("#file-tree")
    page.evaluate(LONG_TASKS_START_JS)
    started = time.perf_counter()
    page.keyboard.press("End")
    keys, refocused = 1, 0
    for _ in range(4 * folders):
        state = page.evaluate(EXPAND_STEP_JS)
        if state["rows"] >= folders + 20_000:
            break
        if not state["focused"]:
            page.focus("#file-tree")
            refocused += 1
            continue
        page.keyboard.press(
            "ArrowRight" if state["kind"] == "folder" and not state["open"] else "ArrowUp"
        )
        keys += 1
    else:
        raise RuntimeError(f"expanding every folder failed: {page.evaluate(EXPAND_STEP_JS)}")
    page.wait_for_timeout(100)
    seconds = time.perf_counter() - started
    tasks = page.evaluate(LONG_TASKS_STOP_JS)
    return {
        "folders": folders,
        "keys": keys,
        "seconds": round(seconds, 2),
        "longest_task_ms": round(tasks["longest"], 1),
        "focus_taken_back": refocused,
    }


def tree(
    pw: Playwright, scratch: Path, account: Account, project: str, layout: str, runs: int
) -> dict[str, Any]:
    context, page = open_workbench(pw, scratch / "tree", account, f"{account.url}/p/{project}")
    settle(page)
    opens = []
    for _ in range(runs):
        page.reload()
        wait_workbench(page)
        page.wait_for_function("window.__bench.treeRowsPainted", timeout=TIMEOUT_MS)
        opens.append(page.evaluate(MARKS_JS))
    wait_quiet(page)
    expanded = expand_all(page) if layout == "folders" else None
    rows = int(page.evaluate("document.documentElement.dataset.treeRows"))
    passes = [page.evaluate(SCROLL_JS, SCROLL_STEP_PX) for _ in range(runs)]
    context.close()
    ends = {p["lastRowPath"] for p in passes}
    described = (
        "200 folders x 100 files, all expanded with the keyboard"
        if layout == "folders"
        else "20,000 files in the root"
    )
    return {
        "files": 20_000,
        "layout": described,
        "rows": rows,
        "open_cached": {
            "ready_to_tree_mark_ms": median([o["tree"] - o["ready"] for o in opens]),
            "ready_to_rows_ms": median([o["treeRows"] - o["ready"] for o in opens]),
            "ready_to_rows_painted_ms": median([o["treeRowsPainted"] - o["ready"] for o in opens]),
            "project_source": sorted({o["source"] for o in opens}),
        },
        "expand_all": expanded,
        "scroll": {
            "px_per_frame": SCROLL_STEP_PX,
            "passes": runs,
            "frames_per_pass": passes[0]["frames"],
            "seconds_per_pass": median([p["seconds"] for p in passes]),
            "longest_frame_ms": round(max(p["longestFrame"] for p in passes), 1),
            "longest_frame_per_pass_ms": [round(p["longestFrame"], 1) for p in passes],
            "p95_frame_ms": median([p["p95Frame"] for p in passes]),
            "frames_over_50ms": sum(p["over50"] for p in passes),
            "longest_task_ms": round(max(p["longestTask"] for p in passes), 1),
            "longest_task_per_pass_ms": [round(p["longestTask"], 1) for p in passes],
            "long_tasks": sum(p["longTasks"] for p in passes),
            "last_row_drawn": sorted(ends),
        },
    }
