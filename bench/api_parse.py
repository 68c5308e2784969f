"""Part e of bench/api.py: the CPU cost of reading a sync body in this process (no server,
no database), to compare body parsers without the noise of a loaded machine."""

from __future__ import annotations

import json
import random
import time
from typing import Any

from bench.api_client import source_text
from server import bodies, sync_ops
from server.models.requests import SyncRequest


def read_sync_body(raw: bytes) -> list[sync_ops.Op]:
    """What the sync route does with a JSON body before it opens a transaction."""
    body = bodies.decode(raw, SyncRequest)
    return sync_ops.parse_ops(body.ops, {})


def bench_e(rounds: int = 5) -> dict[str, Any]:
    """CPU microseconds per body (best of `rounds`) for part a's one-file put, part c's
    one-line patch and a 1,000-file 4 MB batch of puts."""
    rnd = random.Random(5)
    text = "edit 1 " + "".join(rnd.choices("abcdefghij \n", k=190))
    put = {"op": "put", "path": "notes.txt", "base_version": 7, "content": text}
    edit = {"start": 1200, "end": 1200, "text": "  # edit 1"}
    patch = {"op": "patch", "path": "src/app/main.py", "base_version": 7, "edits": [edit]}
    batch = [
        {"op": "put", "path": f"src/d{i % 20}/f{i}.py", "content": source_text(rnd, 4096)}
        for i in range(1000)
    ]
    bodies_by_name = {"one_put": [put], "one_line_patch": [patch], "batch_1000_puts": batch}
    out: dict[str, Any] = {}
    for name, ops in bodies_by_name.items():
        raw = json.dumps({"ops": ops}, separators=(",", ":")).encode()
        times = []
        repeat = max(1, 2_000_000 // len(raw))  # about 2 MB of body a round
        for _ in range(rounds):
            began = time.process_time()
            for _ in range(repeat):
                read_sync_body(raw)
            times.append((time.process_time() - began) / repeat)
        out[name] = {"body_bytes": len(raw), "cpu_us": round(min(times) * 1e6, 1)}
    return out
