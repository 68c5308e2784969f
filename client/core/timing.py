"""The seed's timings, in one place: editor change -> 300 ms -> runtime file system;
1 s -> IndexedDB; every 5 s (or Ctrl+S) -> one batched sync request. Retries back off
exponentially with jitter."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    runtime_s: float = 0.3
    cache_s: float = 1.0
    sync_s: float = 5.0
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 60.0
    jitter: float = 0.2  # +/- this fraction of each backoff delay

    def backoff(self, attempt: int, unit_random: float) -> float:
        """Delay before retry number `attempt` (1, 2, ...); unit_random in [0, 1)."""
        # The exponent is capped: 2.0 ** 1024 overflows after a long enough time offline.
        delay = min(self.backoff_initial_s * 2.0 ** min(attempt - 1, 64), self.backoff_max_s)
        return delay * (1 + self.jitter * (2 * unit_random - 1))


DEFAULT_TIMING = Timing()
