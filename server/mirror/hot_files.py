"""What this process remembers of kept files, so a burst of installs asking for the same
tarballs at once does not queue on the database pool: each name's kept file for a minute
(the database still marks it used, hourly, when the minute is over), and the bytes of small
files by sha256. Bytes are content-addressed, so they are never stale; a name pruned by
another process is forgotten here within the minute. Bounded in bytes, the least recently
used leaving first."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from server.repo.mirror_files import KeptFile

NAME_SECONDS = 60.0


class HotFiles:
    def __init__(
        self,
        max_bytes: int = 64 * 1024 * 1024,
        max_file_bytes: int = 1024 * 1024,
        max_names: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_bytes, self.max_file_bytes, self.max_names = max_bytes, max_file_bytes, max_names
        self.clock = clock
        self.held = 0
        self._bytes: OrderedDict[bytes, bytes] = OrderedDict()
        self._names: OrderedDict[Hashable, tuple[float, KeptFile]] = OrderedDict()

    def kept(self, name: Hashable) -> KeptFile | None:
        found = self._names.get(name)
        if found is None or found[0] <= self.clock():
            self._names.pop(name, None)
            return None
        return found[1]

    def remember(self, name: Hashable, kept: KeptFile) -> None:
        self._names[name] = (self.clock() + NAME_SECONDS, kept)
        self._names.move_to_end(name)
        while len(self._names) > self.max_names:
            self._names.popitem(last=False)

    def data(self, sha256: bytes) -> bytes | None:
        found = self._bytes.get(sha256)
        if found is not None:
            self._bytes.move_to_end(sha256)
        return found

    def hold(self, sha256: bytes, data: bytes) -> None:
        if len(data) > self.max_file_bytes or sha256 in self._bytes:
            return
        self._bytes[sha256] = data
        self.held += len(data)
        while self.held > self.max_bytes:
            _, gone = self._bytes.popitem(last=False)
            self.held -= len(gone)
