"""?debug=1 only: `window.cospaiDebug`, for benchmarks and tests that change many files
at once as a tool would (touchAll, write, remove), read them back (files), and profile
the page's Python (profile). The runtime's own hooks are runtime_debug.py's.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from client.ffi import dom
from client.ffi.events import Listeners
from client.ui.ports import ProjectFiles


class DebugBench(ProjectFiles, Protocol):
    listeners: Listeners

    def edited(self, *paths: str) -> None: ...

    def changed_elsewhere(self, paths: list[str]) -> None: ...


class DebugHooks:
    def __init__(self, bench: DebugBench) -> None:
        self.bench = bench
        self._profiler: Any = None  # profile("start") sets it

    def expose(self) -> None:
        proxy = self.bench.listeners.proxy
        dom.expose(
            "cospaiDebug",
            {
                "touchAll": proxy(self.touch_all),
                "write": proxy(self.write),
                "remove": proxy(self.remove),
                "files": proxy(self.files),
                "profile": proxy(self.profile),
            },
        )

    def touch_all(self, line: str) -> int:
        """Append a line to every text file (as a formatter or codemod would)."""
        model, count = self.bench.model, 0
        for path, local in list(model.files.items()):
            if not local.binary:
                model.write(path, local.content + line.encode("utf-8"))
                count += 1
        self.bench.edited("")
        return count

    def write(self, path: str, text: str) -> None:
        """As the runtime's watcher writes a file (runtime_link)."""
        self.bench.model.write(path, text.encode("utf-8"))
        self.bench.changed_elsewhere([path])

    def remove(self, path: str) -> None:
        self.bench.model.delete(path)
        self.bench.changed_elsewhere([path])

    def files(self) -> str:
        return json.dumps({p: f.text for p, f in self.bench.model.files.items() if not f.binary})

    def profile(self, action: str, limit: int = 40) -> str:
        """cProfile over the page's Python: "start", then "stop" returns the tables by own
        and by cumulative time (what a benchmark costs the main thread; see
        bench/workbench.py --profile)."""
        import cProfile
        import io
        import pstats

        if action == "start":
            self._profiler = cProfile.Profile()
            self._profiler.enable()
            return ""
        profiler, self._profiler = self._profiler, None
        if profiler is None:
            return "no profile running"
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        for sort in ("tottime", "cumulative"):
            stats.sort_stats(sort).print_stats(int(limit))
        return out.getvalue()
