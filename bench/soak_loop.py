#!/usr/bin/env python3
"""Run the fault-injection soak (tests/e2e/test_soak.py) many times, each with its own seed.

The soak's random steps and injected failures come from COSPAI_SOAK_SEED; one run with the
default seeds explores one interleaving, this loop explores --runs of them. Each run is its
own pytest process (a fresh server, database and browser), one after another. A run's
output goes to --log-dir/seed-<N>.log; a failure's log names the step and the difference,
and `COSPAI_SOAK_SEED=<N> pytest tests/e2e/test_soak.py` runs that seed again (the steps
repeat exactly; the moments the server fails depend on timing, so a race may need a few
tries).

Prints one JSON object: runs, passed, failed, the seeds of the failures, every run's seed,
outcome and seconds, and the wall time. Exits 1 when any run failed, 0 otherwise.
Not part of `make test`: 20 runs take most of an hour.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOAK = "tests/e2e/test_soak.py"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Run the sync soak test N times with different seeds, each in its own pytest "
            "process; print a JSON summary and exit non-zero if any run failed."
        )
    )
    parser.add_argument("--runs", type=int, default=20, help="how many runs (default %(default)s)")
    parser.add_argument(
        "--first-seed",
        type=int,
        default=None,
        help="seed of the first run; run i uses first-seed + i (default: drawn at random, "
        "so each loop explores new interleavings; the summary names the seeds)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=None,
        help="exactly these seeds, one run each (overrides --runs and --first-seed)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1200.0,
        help="seconds one run may take before it is stopped and counted as failed "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--log-dir",
        type=Path,
        default=ROOT / "test-artifacts" / "soak-loop",
        help="where each run's output is kept (default test-artifacts/soak-loop)",
    )
    parser.add_argument(
        "--stop-on-failure", action="store_true", help="stop at the first failing run"
    )
    parser.add_argument(
        "--pytest-args",
        default="",
        help="extra arguments for each pytest run, as one string (for instance '-x -s')",
    )
    return parser.parse_args(argv)


def seeds_for(args: argparse.Namespace) -> list[int]:
    if args.seeds:
        return list(args.seeds)
    first = args.first_seed if args.first_seed is not None else random.randrange(1, 10**9)
    return [first + i for i in range(args.runs)]


def run_once(seed: int, args: argparse.Namespace) -> tuple[str, float]:
    """One soak run with `seed`: ('passed' | 'failed' | 'timeout', seconds)."""
    env = dict(os.environ, COSPAI_SOAK_SEED=str(seed))
    command = [
        sys.executable,
        "-m",
        "pytest",
        SOAK,
        "-q",
        "-p",
        "no:cacheprovider",
        "--durations=0",
        # The soak may take longer than the suite's per-test limit on a busy machine.
        f"--timeout={int(args.timeout)}",
        *args.pytest_args.split(),
    ]
    log = args.log_dir / f"seed-{seed}.log"
    started = time.monotonic()
    with log.open("w") as out:
        out.write(f"$ COSPAI_SOAK_SEED={seed} {' '.join(command[1:])}\n")
        out.flush()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            code = process.wait(timeout=args.timeout + 60)
            outcome = "passed" if code == 0 else "failed"
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            outcome = "timeout"
    return outcome, round(time.monotonic() - started, 1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.log_dir.mkdir(parents=True, exist_ok=True)
    seeds = seeds_for(args)
    started = time.monotonic()
    results = []
    for number, seed in enumerate(seeds, 1):
        outcome, seconds = run_once(seed, args)
        results.append({"seed": seed, "outcome": outcome, "seconds": seconds})
        print(
            f"soak {number}/{len(seeds)} seed {seed}: {outcome} in {seconds:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        if outcome != "passed" and args.stop_on_failure:
            break
    failed = [r["seed"] for r in results if r["outcome"] != "passed"]
    summary = {
        "runs": len(results),
        "passed": len(results) - len(failed),
        "failed": len(failed),
        "failed_seeds": failed,
        "wall_s": round(time.monotonic() - started, 1),
        "log_dir": str(args.log_dir),
        "results": results,
    }
    print(json.dumps(summary, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
