#!/usr/bin/env python3
"""Read the Chrome traces `bench/workbench.py --trace DIR` writes, one per typing run, and
say where each keystroke's time went. Prints one JSON object per trace file:

- `latency_ms`: keydown to painted frame (the bench:key and bench:painted marks), p50/p95;
- `key_task_ms`: the rest of the task the keydown ran in (Monaco and our handlers);
- `frame_task_ms`: the task that ran the key's animation frame and painted it;
- `wait_ms`: from the end of the key's task to the start of its frame's task. Near zero
  when the page was otherwise still: Chromium starts a frame at once after input. When
  other frames were being drawn just before (a status that changes, a spinner), the key's
  frame waits for the display's next refresh instead, up to 16.7 ms;
- `other_tasks_ms`: other tasks that ran inside the key's window (timers, sync answers);
- `frames_between_keys_per_s`: frames committed outside every key's window, per second.
  With the editor idle this is the cursor's blinking; anything more is drawn by something
  else (the sync load, in a "sync" run) and delays keys as `wait_ms` shows.

Usage: python bench/typing_trace.py DIR/typing-*.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

TASK = "ThreadControllerImpl::RunTask"  # one task of the main thread's loop


def events(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text())
    return data["traceEvents"] if isinstance(data, dict) else data


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[int(q * (len(ordered) - 1))], 1) if ordered else 0.0


def summarise(path: Path) -> dict[str, Any]:
    found = events(path)
    marks = [e for e in found if e.get("name") in ("bench:key", "bench:painted")]
    if not marks:
        raise SystemExit(f"{path}: no bench:key marks (was it written by --trace?)")
    pid, tid = marks[0]["pid"], marks[0]["tid"]
    main = [e for e in found if e.get("pid") == pid and e.get("tid") == tid and e.get("ph") == "X"]
    tasks = sorted((e for e in main if e["name"] == TASK), key=lambda e: e["ts"])
    paints = sorted(e["ts"] for e in main if e["name"] == "Paint")
    commits = sorted(e["ts"] for e in main if e["name"] == "Commit")
    keys = sorted({e["ts"] for e in marks if e["name"] == "bench:key"})
    painted = sorted({e["ts"] for e in marks if e["name"] == "bench:painted"})
    rows: list[dict[str, float]] = []
    windows: list[tuple[float, float]] = []
    for key in keys:
        done = next((t for t in painted if t > key), None)
        if done is None:
            continue
        windows.append((key, done))
        inside = [t for t in tasks if t["ts"] < done and t["ts"] + t["dur"] > key]
        own = next((t for t in inside if t["ts"] <= key < t["ts"] + t["dur"]), None)
        frames = [t for t in inside if any(t["ts"] <= p < t["ts"] + t["dur"] for p in paints)]
        frame = frames[-1] if frames else None
        own_end = own["ts"] + own["dur"] if own else key
        rows.append(
            {
                "latency": (done - key) / 1000,
                "key_task": (own_end - key) / 1000,
                "frame_task": frame["dur"] / 1000 if frame else 0.0,
                "wait": max(0.0, (frame["ts"] - own_end) / 1000) if frame else 0.0,
                "other": sum(t["dur"] for t in inside if t is not own and t is not frame) / 1000,
            }
        )
    span_s = (windows[-1][1] - windows[0][0]) / 1e6 if windows else 0.0
    between = [
        c
        for c in commits
        if windows[0][0] <= c <= windows[-1][1]
        and not any(a - 1000 <= c <= b + 1000 for a, b in windows)
    ]
    out: dict[str, Any] = {"file": path.name, "keys": len(rows)}
    for name, field in (
        ("latency_ms", "latency"),
        ("key_task_ms", "key_task"),
        ("frame_task_ms", "frame_task"),
        ("wait_ms", "wait"),
        ("other_tasks_ms", "other"),
    ):
        values = [r[field] for r in rows]
        out[name] = {"p50": quantile(values, 0.5), "p95": quantile(values, 0.95)}
    out["frames_between_keys_per_s"] = round(len(between) / span_s, 1) if span_s else 0.0
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("traces", nargs="+", type=Path, help="typing-*.json trace files")
    args = parser.parse_args()
    print(json.dumps([summarise(path) for path in args.traces], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
