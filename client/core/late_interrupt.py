"""Ctrl+C as SIGINT in the worker, and a KeyboardInterrupt that Python swallowed, raised
again where the program's own code runs.

The engine's signal check finds the interrupt byte set and runs the SIGINT handler
(`handler`, installed by runtime_host.attach_stdio) at whatever runs then: a bytecode
boundary, or any C code that calls PyErr_CheckSignals. In C code the KeyboardInterrupt may
never reach the program:

- In a finalizer (a loop that opens a file per turn closes the last one as it drops it,
  and the flush checks for signals) it is "unraisable": CPython prints "Exception ignored
  ..." and the program runs on. The host's unraisable hook calls `lost`.
- Or it vanishes without a word. Closing such a file first builds its "unclosed file"
  ResourceWarning (even when that warning is ignored); the repr in the message checks for
  signals, and FileIO._dealloc_warn then puts back the exception it saved before, which
  drops the KeyboardInterrupt. This lost about one Ctrl+C in seven in such a loop.

So the handler raises a watched KeyboardInterrupt: a small object in its __dict__ dies with
it, and a trace function looks for code that handles it (an except, finally or with block
running with it). If it dies before anything handled it, it was swallowed. Then, as after
`lost`, the trace raises KeyboardInterrupt at the next line of code that is not ours (the
host's own output and scans stay whole), and stops tracing. If that line is again in a
finalizer, the hook sees it and it starts over. Handled, or the command over, the tracing
stops.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

OURS = str(Path(__file__).resolve().parent.parent)  # the client package: host, shell
WATCH_LIMIT_S = 2.0  # raised but neither handled nor dropped by then: stop watching it
MARK = "_cospai_watch"  # the attribute of a watched KeyboardInterrupt that dies with it
Wanted = Callable[[], bool]
_current: _Watch | None = None


def handler(still_wanted: Wanted) -> Callable[[int, FrameType | None], None]:
    """The SIGINT handler: a watched KeyboardInterrupt while `still_wanted()` (a command
    runs); after the command it was meant for, nothing."""

    def on_sigint(_signum: int, frame: FrameType | None) -> None:
        if still_wanted():
            raise raised(still_wanted, frame)

    return on_sigint


def raised(still_wanted: Wanted, running: FrameType | None) -> KeyboardInterrupt:
    """A KeyboardInterrupt to raise now in `running`, raised again in the program's code if
    it is swallowed before anything handles it."""
    watch = _replace(still_wanted)
    error = watch.arm()
    watch.start(running)
    return error


def lost(still_wanted: Wanted, running: FrameType | None) -> None:
    """A KeyboardInterrupt died where it could not propagate (a finalizer): raise one at
    the next line of program code in `running`, its callers or what it calls next."""
    watch = _current if _current is not None and _current.tracing else _replace(still_wanted)
    watch.pending, watch.lost = None, True
    watch.start(running)


def _replace(still_wanted: Wanted) -> _Watch:
    global _current
    if _current is not None:
        _current.stop()
    _current = _Watch(still_wanted)
    return _current


class _Dies:
    """Kept in a watched KeyboardInterrupt's __dict__: freed when the exception is."""

    __slots__ = ("ident", "watch")

    def __init__(self, watch: _Watch, ident: int) -> None:
        self.watch, self.ident = watch, ident

    def __del__(self) -> None:
        self.watch.freed(self.ident)


class _Watch:
    def __init__(self, still_wanted: Wanted) -> None:
        self.still_wanted = still_wanted
        # id() of the raised KeyboardInterrupt while it lives unhandled (never a reference:
        # the watch must not keep it alive).
        self.pending: int | None = None
        self.lost = False  # it died unhandled: raise again in the program's code
        self.until = 0.0
        self.tracing = False
        self.previous: Any = None  # a debugger or coverage the program runs under

    def arm(self) -> KeyboardInterrupt:
        error = KeyboardInterrupt()
        setattr(error, MARK, _Dies(self, id(error)))
        self.pending, self.lost = id(error), False
        self.until = time.monotonic() + WATCH_LIMIT_S
        return error

    def freed(self, ident: int) -> None:
        if self.tracing and ident == self.pending:
            self.pending, self.lost = None, True

    def start(self, running: FrameType | None) -> None:
        frame = running
        while frame is not None:  # the frames running now, as a debugger's set_trace does
            frame.f_trace = self.trace
            frame = frame.f_back
        if not self.tracing:
            self.tracing, self.previous = True, sys.gettrace()
            sys.settrace(self.trace)

    def stop(self) -> None:
        if not self.tracing:
            return
        self.tracing = False
        sys.settrace(self.previous)
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            if frame.f_trace == self.trace:
                frame.f_trace = None
            frame = frame.f_back

    def trace(self, frame: FrameType, event: str, _arg: Any) -> Any:
        if not self.tracing:
            return None
        if not self.still_wanted():
            self.stop()
            return None
        if event not in ("call", "line"):
            return self.trace
        if self.pending is not None:  # raised: is something handling it yet?
            if _handling(self.pending) or time.monotonic() > self.until:
                self.stop()
                return None
            return self.trace
        if not self.lost or frame.f_code.co_filename.startswith(OURS):
            return self.trace  # our own code: wait for the program's
        self.stop()
        raise KeyboardInterrupt


def _handling(ident: int) -> bool:
    """Whether the code running now handles that exception (or one raised while it was)."""
    seen = sys.exc_info()[1]
    for _ in range(32):
        if seen is None:
            return False
        if id(seen) == ident:
            return True
        seen = seen.__context__
    return False
