"""A Ctrl+C that Python swallowed, raised again where the program's own code runs.

Python raises KeyboardInterrupt at the next check after the interrupt arrives. When that
check is inside a finalizer (an object dropped mid-loop, a file closed as it goes out of
scope), the exception cannot propagate: CPython reports "Exception ignored in ..." and the
program runs on. Setting the interrupt again does not help, as the next check tends to
fall in the next finalizer too (a loop that opens a file per turn spends much of its time
closing them). So the unraisable hook calls `deliver`, which traces the running frames
and raises KeyboardInterrupt at the next line of code that is not ours (the host's own
output and scans stay whole), then stops tracing. If that line is again in a finalizer
written in Python, the hook sees it and starts over.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

OURS = str(Path(__file__).resolve().parent.parent)  # the client package: host, shell


def deliver(still_wanted: Callable[[], bool], running: FrameType | None) -> None:
    """Raise KeyboardInterrupt at the next line of program code in `running` (the frame
    the finalizer interrupted), its callers or what it calls next, while `still_wanted()`
    (the command that was interrupted still runs)."""
    previous = sys.gettrace()  # a debugger or coverage the program runs under

    def stop() -> None:
        sys.settrace(previous)
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            if frame.f_trace is tracer:
                frame.f_trace = None
            frame = frame.f_back

    def tracer(frame: FrameType, _event: str, _arg: Any) -> Any:
        if not still_wanted():
            stop()
            return None
        if frame.f_code.co_filename.startswith(OURS):
            return tracer  # our own code: wait for the program's
        stop()
        raise KeyboardInterrupt

    frame = running
    while frame is not None:  # the frames running now, as a debugger's set_trace does
        frame.f_trace = tracer
        frame = frame.f_back
    sys.settrace(tracer)
