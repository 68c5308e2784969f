"""npm's progress line and summary in the runtime's terminal (client/worker/npm_progress.py,
npm_install.summary_line): redrawn in place at most ten times a second, erased before the
summary, sizes and durations as people read them, the summary in npm 11's words."""

from __future__ import annotations

from client.worker.npm_install import Summary, elapsed, summary_line
from client.worker.npm_progress import Progress, megabytes


def test_the_line_is_redrawn_sparingly_and_erased() -> None:
    written: list[str] = []
    now = [0.0]
    progress = Progress(written.append, clock=lambda: now[0])
    progress.on_resolve("resolved", 1)
    progress.on_resolve("resolved", 2)  # within 100 ms: not drawn
    now[0] = 0.2
    progress.on_resolve("resolved", 3)
    progress.start_fetch(2)  # always drawn
    progress.on_fetch(1500)
    progress.on_fetch(2_500_000)  # the last one is always drawn
    progress.clear()
    assert written == [
        "\r\x1b[2Kresolving: 1 packages",
        "\r\x1b[2Kresolving: 3 packages",
        "\r\x1b[2Kfetching: 0/2 packages",
        "\r\x1b[2Kfetching: 2/2 packages, 2.5 MB",
        "\r\x1b[2K",
    ]
    progress.clear()  # nothing shown: nothing to erase
    assert len(written) == 5


def test_sizes_durations_and_the_summary() -> None:
    assert [megabytes(n) for n in (0, 1, 999, 12_345, 1_000_000, 3_456_789)] == [
        "0 kB", "1 kB", "1 kB", "12 kB", "1.0 MB", "3.5 MB",
    ]  # fmt: skip
    assert [elapsed(s) for s in (0.0123, 0.9994, 1.4, 12.6)] == ["12ms", "999ms", "1s", "13s"]
    assert summary_line(Summary(), 0.3) == "up to date in 300ms"
    assert summary_line(Summary(added=1), 2) == "added 1 package in 2s"
    assert (
        summary_line(Summary(added=3, removed=1, changed=2), 2)
        == "added 3 packages, removed 1 package, and changed 2 packages in 2s"
    )
    assert summary_line(Summary(removed=2, changed=1), 0.5) == (
        "removed 2 packages, and changed 1 package in 500ms"
    )
