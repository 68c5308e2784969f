"""The workbench benchmark's part 3 (bench/workbench.py): keystroke-to-paint latency in
the editor, idle and under sync loads, optionally profiled (--profile) or traced (--trace)."""

from __future__ import annotations

import base64
import json
import statistics
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Playwright

from bench.workbench_probes import (
    KEYS_PAINTED_JS,
    LOAD_START_JS,
    LOAD_STOP_JS,
    LONG_TASKS_START_JS,
    LONG_TASKS_STOP_JS,
    TOUCH_EVERY_MS,
)
from bench.workbench_session import (
    ENTRY,
    TIMEOUT_MS,
    Account,
    median,
    open_workbench,
    p95,
    settle,
    wait_editable,
    wait_quiet,
)

FILES_PER_TICK = 2  # files changed per tick by the "sync" load (not the one typed into)
KEY_GAP_MS = 50  # between keystrokes, after the previous one painted (a fast typist)
TYPED = "the quick brown fox jumps over the lazy dog while sync runs in the background "


def type_run(page: Page, keys: int) -> dict[str, Any]:
    """Type `keys` characters into a fresh comment line, so every run starts at the same
    column: on one line that kept growing, later runs scrolled the editor sideways on
    every key (more to draw) and looked slower for that reason alone."""
    text = typed_text(keys)
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("// ")
    page.wait_for_timeout(300)
    page.evaluate("() => { window.__bench.keys = []; window.__bench.typing = true; }")
    page.evaluate(LONG_TASKS_START_JS)
    for n, char in enumerate(text, start=1):
        page.keyboard.type(char)
        page.evaluate(KEYS_PAINTED_JS, n)
        page.wait_for_timeout(KEY_GAP_MS)
    page.evaluate("() => { window.__bench.typing = false; }")
    tasks = page.evaluate(LONG_TASKS_STOP_JS)
    samples = page.evaluate("window.__bench.keys")
    if len(samples) != keys:
        raise RuntimeError(f"{len(samples)} keydowns seen for {keys} keystrokes")
    elsewhere = sum(not s["inEditor"] for s in samples)
    if elsewhere:
        raise RuntimeError(f"{elsewhere} of {keys} keystrokes went outside the editor")
    return {
        "handler": [s["painted"] - s["handler"] for s in samples],
        "created": [s["painted"] - s["created"] for s in samples],
        "longest_task_ms": tasks["longest"],
        "long_tasks": tasks["count"],
    }


def pooled(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The samples of several runs of one kind, summarised together."""
    handler = [x for run in runs for x in run["handler"]]
    created = [x for run in runs for x in run["created"]]
    return {
        "p50": median(handler),
        "p95": p95(handler),
        "from_event_timestamp": {"p50": median(created), "p95": p95(created)},
        "longest_task_ms": round(max(run["longest_task_ms"] for run in runs), 1),
        "long_tasks": sum(run["long_tasks"] for run in runs),
        "keystrokes": len(handler),
        "p95_per_round": [p95(run["handler"]) for run in runs],
    }


TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "blink.user_timing",
    "v8.execute",
    "toplevel",
]


def start_trace(page: Page) -> Any:
    """A Chrome trace (DevTools' Performance panel opens it) over CDP; keys are marked."""
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Tracing.start",
        {"transferMode": "ReturnAsStream", "traceConfig": {"includedCategories": TRACE_CATEGORIES}},
    )
    page.evaluate("() => { window.__bench.marks = true; }")
    return cdp


def stop_trace(page: Page, cdp: Any, path: Path) -> None:
    page.evaluate("() => { window.__bench.marks = false; }")
    done: dict[str, Any] = {}
    cdp.on("Tracing.tracingComplete", lambda event: done.update(event))
    cdp.send("Tracing.end")
    while not done:
        page.wait_for_timeout(50)
    chunks: list[bytes] = []
    while True:
        part = cdp.send("IO.read", {"handle": done["stream"], "size": 1 << 20})
        data = part["data"]
        chunks.append(base64.b64decode(data) if part.get("base64Encoded") else data.encode())
        if part["eof"]:
            break
    cdp.send("IO.close", {"handle": done["stream"]})
    cdp.detach()
    path.write_bytes(b"".join(chunks))


def traced_run(page: Page, keys: int, label: str, trace_to: Path | None) -> dict[str, Any]:
    """type_run, with a Chrome trace of it written to <trace_to>/<label>.json (--trace)."""
    if trace_to is None:
        return type_run(page, keys)
    tracing = start_trace(page)
    run = type_run(page, keys)
    stop_trace(page, tracing, trace_to / f"{label}.json")
    return run


def typed_text(keys: int) -> str:
    return (TYPED * (keys // len(TYPED) + 1))[:keys]


def typing(
    pw: Playwright,
    scratch: Path,
    account: Account,
    project: str,
    keys: int,
    rounds: int,
    profile_to: Path | None = None,
    trace_to: Path | None = None,
) -> dict[str, Any]:
    url = f"{account.url}/p/{project}?debug=1"
    context, page = open_workbench(pw, scratch / "typing", account, url)
    wait_editable(page)
    page.wait_for_function("window.cospaiDebug !== undefined", timeout=TIMEOUT_MS)
    wait_quiet(page)
    settle(page)
    if page.evaluate("document.documentElement.dataset.openFile") != ENTRY:
        raise RuntimeError(f"{ENTRY} is not the open file")
    page.click(".monaco-editor .view-lines")
    # Comment lines at the top (type_run starts each): no suggestions pop up while typing
    # prose.
    page.keyboard.press("Control+Home")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    page.keyboard.type("// start")
    page.wait_for_timeout(500)
    # Idle and sync runs alternate, round after round, and their samples are pooled: the
    # machine's own drift (another process, a GC, the TS worker) then weighs on both alike
    # instead of on whichever ran during it. touch_all (a heavier load, no target) once.
    samples: dict[str, list[dict[str, Any]]] = {"idle": [], "sync": [], "touch_all": []}
    loads: dict[str, list[dict[str, Any]]] = {"sync": [], "touch_all": []}
    plan = [("idle", None), ("sync", "write")] * rounds + [("touch_all", "touchAll")]
    for name, mode in plan:
        label = f"typing-{name}-{len(samples[name]) + 1}"
        if mode is None:
            samples[name].append(traced_run(page, keys, label, trace_to))
            continue
        page.wait_for_function(
            "document.documentElement.dataset.syncState === 'saved'", timeout=TIMEOUT_MS
        )
        page.wait_for_timeout(1000)
        page.evaluate(
            LOAD_START_JS,
            {
                "mode": mode,
                "line": "// touched by the benchmark\n",
                "exclude": ENTRY,
                "perTick": FILES_PER_TICK,
            },
        )
        page.wait_for_timeout(TOUCH_EVERY_MS * 2)  # the load is running before the first key
        if profile_to is not None:
            page.evaluate("window.cospaiDebug.profile('start')")
        samples[name].append(traced_run(page, keys, label, trace_to))
        if profile_to is not None:  # --profile: the page's Python during this run
            table = page.evaluate("window.cospaiDebug.profile('stop', 60)")
            (profile_to / f"{label}.txt").write_text(table)
        loads[name].append(page.evaluate(LOAD_STOP_JS))
        page.wait_for_function(
            "document.documentElement.dataset.syncState === 'saved'", timeout=TIMEOUT_MS
        )
        page.wait_for_timeout(1000)  # the last push's answer is in before idle typing
    runs = {name: pooled(done) for name, done in samples.items()}

    def load_summary(name: str) -> dict[str, Any]:
        ticks = [t for load in loads[name] for t in load["tickMs"]]
        return {
            "ticks": len(ticks),
            "pushes_started": sum(x["pushes"] for x in loads[name]),
            "tick_main_thread_ms": {
                "median": round(statistics.median(ticks), 1),
                "max": round(max(ticks), 1),
            },
        }

    texts = json.loads(page.evaluate("window.cospaiDebug.files()"))
    entry, files = texts[ENTRY], len(texts)
    context.close()
    if entry.count(typed_text(keys)) < len(plan):
        raise RuntimeError(f"the typed text is not in {ENTRY}: {entry[:300]!r}")
    idle = runs["idle"]

    def ratio(name: str) -> dict[str, float]:
        return {q: round(runs[name][q] / idle[q], 2) for q in ("p50", "p95")}

    return {
        "keystrokes_per_run": keys,
        "rounds": rounds,
        "file": ENTRY,
        "key_gap_ms": KEY_GAP_MS,
        "text_files": files,
        "idle_ms": idle,
        "sync_ms": runs["sync"],
        "sync_vs_idle": ratio("sync"),
        "sync_load": {
            "every_ms": TOUCH_EVERY_MS,
            "what": f"cospaiDebug.write of {FILES_PER_TICK} other files, then Ctrl+S",
            **load_summary("sync"),
        },
        "touch_all_ms": runs["touch_all"],
        "touch_all_vs_idle": ratio("touch_all"),
        "touch_all_load": {
            "every_ms": TOUCH_EVERY_MS,
            "what": "cospaiDebug.touchAll (every text file, the open one too), then Ctrl+S",
            **load_summary("touch_all"),
        },
    }
