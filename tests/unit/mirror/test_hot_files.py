"""server/mirror/hot_files.py: what a process remembers of kept files. Names are kept for a
minute then asked of the database again (a name pruned elsewhere is forgotten); bytes are
held only for small files, within a byte budget, the least recently used leaving first."""

from __future__ import annotations

from server.mirror.hot_files import NAME_SECONDS, HotFiles
from server.repo.mirror_files import KeptFile


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_name_is_remembered_for_a_minute_then_asked_again() -> None:
    clock = Clock()
    hot = HotFiles(clock=clock)
    kept = KeptFile(b"\x01" * 32, 10, 1)
    assert hot.kept(("npm", "a", "a-1.tgz")) is None
    hot.remember(("npm", "a", "a-1.tgz"), kept)
    clock.now += NAME_SECONDS - 0.5
    assert hot.kept(("npm", "a", "a-1.tgz")) == kept
    assert hot.kept(("pypi", "a", "a-1.tgz")) is None  # the ecosystem is part of the name
    clock.now += 1
    assert hot.kept(("npm", "a", "a-1.tgz")) is None  # expired: forgotten, not served


def test_names_are_bounded_oldest_first() -> None:
    hot = HotFiles(max_names=2)
    for name in ("a", "b", "c"):
        hot.remember(name, KeptFile(name.encode(), 1, 1))
    assert hot.kept("a") is None
    assert hot.kept("b") is not None and hot.kept("c") is not None


def test_bytes_within_a_budget_least_recently_used_leave_first() -> None:
    hot = HotFiles(max_bytes=10, max_file_bytes=6)
    hot.hold(b"a", b"aaaa")
    hot.hold(b"b", b"bbbb")
    assert hot.data(b"a") == b"aaaa"  # now the most recently used
    hot.hold(b"c", b"cccc")  # 12 bytes > 10: "b" leaves
    assert hot.data(b"b") is None
    assert hot.data(b"a") == b"aaaa" and hot.data(b"c") == b"cccc"
    assert hot.held == 8


def test_large_files_and_repeats_are_not_held_twice() -> None:
    hot = HotFiles(max_bytes=100, max_file_bytes=6)
    hot.hold(b"big", b"x" * 7)
    assert hot.data(b"big") is None and hot.held == 0
    hot.hold(b"a", b"aaaa")
    hot.hold(b"a", b"aaaa")
    assert hot.held == 4
