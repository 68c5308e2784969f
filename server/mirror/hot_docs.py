"""What this process remembers of fresh metadata documents (packuments, project pages), so
an install asking for a hundred packuments does not make the server fetch, inflate and
decode each from the database again: a document served fresh is held for at most a
minute, and never past the moment it would stop being fresh. A seed or refresh done by
another process shows here within that minute (the README says so). Bounded in bytes,
the least recently used leaving first."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

HOLD_SECONDS = 60.0


class HotDocs:
    def __init__(
        self,
        max_bytes: int = 64 * 1024 * 1024,
        max_doc_bytes: int = 16 * 1024 * 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_bytes, self.max_doc_bytes = max_bytes, max_doc_bytes
        self.clock = clock
        self.held = 0
        self._docs: OrderedDict[Hashable, tuple[float, Any, int]] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        found = self._docs.get(key)
        if found is None:
            return None
        if found[0] <= self.clock():
            self._forget(key)
            return None
        self._docs.move_to_end(key)
        return found[1]

    def hold(self, key: Hashable, doc: Any, size: int, fresh_for: float) -> None:
        """Keep `doc` (`size` bytes) for up to a minute, never past `fresh_for` seconds."""
        if size > self.max_doc_bytes or fresh_for <= 0:
            return
        self._forget(key)
        self._docs[key] = (self.clock() + min(HOLD_SECONDS, fresh_for), doc, size)
        self.held += size
        while self.held > self.max_bytes:
            self._forget(next(iter(self._docs)))

    def _forget(self, key: Hashable) -> None:
        gone = self._docs.pop(key, None)
        if gone is not None:
            self.held -= gone[2]
