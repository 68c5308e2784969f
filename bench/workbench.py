#!/usr/bin/env python3
"""Workbench benchmark in Chromium, against a live server on a real PostgreSQL.

1. First file editable: a 200-file TypeScript project opened at /p/<id>. Milliseconds from
   the `cospai:ready` mark (Python ready) to the moment the first file can be typed into:
   `data-open-file` set, `data-open-kind` "text" (not read-only), a Monaco input present
   and not read-only, and the file's own text drawn in the editor (performance.now() in a
   MutationObserver). "cached": the same profile opened the project before (reload);
   "cold": a fresh browser profile (signed in by cookie, nothing else cached). Median of
   --runs each.
2. A tree of 20,000 files. Default layout: 200 folders x 100 files, every folder expanded
   with the keyboard (Collapse All, End, then Right on a closed folder, Up otherwise: the
   tree has no "expand all"), so 20,200 rows are in the list; --tree-layout flat puts the
   20,000 files in the root instead. Measured: on a cached open, ms from `cospai:ready` to
   `cospai:tree`, to the first tree rows in the DOM and to their first paint (median of
   --runs); the time to expand every folder; then the list scrolled from top to bottom by
   600 px per animation frame, --runs times: frame durations (requestAnimationFrame
   timestamps) and tasks (Long Tasks API).
3. Typing latency: runs of --keys keystrokes (100) into a comment line of src/index.ts,
   each from its keydown (a capture listener, performance.now()) to the next frame having
   painted (requestAnimationFrame, then a MessageChannel message); p50 and p95 (also from
   the event's own timeStamp, which counts the wait for a busy main thread). Kinds of
   run: idle; "sync": every 500 ms two other files change (cospaiDebug.write, ?debug=1)
   and a synthetic Ctrl+S pushes them; "touch_all": every 500 ms cospaiDebug.touchAll
   appends a line to every text file, the open one too, and Ctrl+S pushes them. Idle and
   sync alternate for --rounds rounds (10) and each kind's samples are pooled (the
   per-round p95 of one kind varies by several ms on this 2-core machine: with 3 rounds
   the ratio's noise was larger than the 10% it is held to); touch_all
   runs once at the end. Parts 2 and 3 start
   once the runtime worker has booted and its shell has started (it takes the focus).

Prints one JSON object with the figures, the targets and `met`. Targets (issue 5): first
file editable < 400 ms; no frame over 50 ms while the 20,000-row tree scrolls; typing p50
and p95 with sync running within 10% of idle. Exits 0 when a target is missed (the figures
are the output) and non-zero only on errors.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.workbench_open import first_editable, tree  # noqa: E402
from bench.workbench_session import Account, argument_parser, tree_project, ts_project  # noqa: E402
from bench.workbench_typing import typing  # noqa: E402
from tests.support.live_server import throwaway_server  # noqa: E402

TARGETS = {"first_editable_ms": 400, "tree_longest_frame_ms": 50, "typing_sync_vs_idle": 1.10}


PARTS = ("editable", "tree", "typing")


def run(
    url: str,
    runs: int,
    keys: int,
    layout: str,
    parts: tuple[str, ...] = PARTS,
    rounds: int = 10,
    profile_to: Path | None = None,
    trace_to: Path | None = None,
) -> dict[str, Any]:
    account = Account(url)
    out: dict[str, Any] = {"runs": runs}
    met: dict[str, bool] = {}
    ratio = TARGETS["typing_sync_vs_idle"]
    try:
        small = account.import_project("bench-200", ts_project(200))
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as folder:
            scratch = Path(folder)
            if "editable" in parts:
                editable = out["first_editable"] = first_editable(pw, scratch, account, small, runs)
                for mode in ("cached", "cold"):
                    met[f"first_editable_{mode}"] = (
                        editable[mode]["ms"] < TARGETS["first_editable_ms"]
                    )
            if "tree" in parts:
                big = account.import_project("bench-20000", tree_project(layout))
                listing = out["tree"] = tree(pw, scratch, account, big, layout, runs)
                met["tree_frames"] = (
                    listing["scroll"]["longest_frame_ms"] <= TARGETS["tree_longest_frame_ms"]
                )
            if "typing" in parts:
                typed = out["typing"] = typing(
                    pw, scratch, account, small, keys, rounds, profile_to, trace_to
                )
                for load in ("sync", "touch_all"):
                    for q in ("p50", "p95"):
                        met[f"typing_{load}_{q}"] = typed[f"{load}_vs_idle"][q] <= ratio
    finally:
        account.close()
    return {**out, "targets": TARGETS, "met": met}


def main() -> int:
    parser = argument_parser(__doc__)
    parser.add_argument(
        "--runs", type=int, default=5, help="opens per mode and tree scroll passes; medians (5)"
    )
    parser.add_argument("--keys", type=int, default=100, help="keystrokes per typing run (100)")
    parser.add_argument(
        "--rounds", type=int, default=10, help="alternating idle and sync typing runs, pooled (10)"
    )
    parser.add_argument(
        "--tree-layout",
        choices=["folders", "flat"],
        default="folders",
        help="20,000 files in 200 expanded folders, or in the root (folders)",
    )
    parser.add_argument("--url", help="benchmark this running server instead of starting one")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help="comma-separated parts to run: editable, tree, typing (all)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FOLDER",
        help="write cProfile tables of the page's Python during each loaded "
        "typing run to FOLDER (slows the page: figures are then not comparable)",
    )
    parser.add_argument(
        "--trace",
        type=Path,
        metavar="FOLDER",
        help="write a Chrome trace of each typing run to FOLDER, with "
        "bench:key and bench:painted marks (open it in DevTools, or read it "
        "with bench/typing_trace.py)",
    )
    args = parser.parse_args()
    for folder in (args.profile, args.trace):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    parts = tuple(p.strip() for p in args.parts.split(",") if p.strip())
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}; choose from {PARTS}")
    with throwaway_server(args.url) as url:
        figures = run(
            url,
            args.runs,
            args.keys,
            args.tree_layout,
            parts,
            args.rounds,
            args.profile,
            args.trace,
        )
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
