"""Tracebacks as CPython prints them for a program, without the frames of our runner.

`python file.py` on a real machine starts the traceback at the file's `<module>` frame;
here the program runs inside our command, runpy and the shell, so those leading frames
are cut. Only leading ones: a traceback that passes through runpy later (a program that
itself calls runpy) keeps every frame it owns. At the other end, a KeyboardInterrupt
ends in the worker's SIGINT handler (client/core/late_interrupt.py), where CPython's own
handler, written in C, shows no frame: that one is cut too.
"""

from __future__ import annotations

import os
import runpy
import traceback
from types import TracebackType

from client.core import late_interrupt

_OURS = frozenset(
    os.path.normcase(os.path.abspath(path)) for path in (runpy.__file__, os.path.dirname(__file__))
)
_SIGINT = os.path.normcase(os.path.abspath(late_interrupt.__file__))


def _is_ours(filename: str) -> bool:
    if filename.startswith("<frozen runpy"):  # runpy may run from the frozen stdlib
        return True
    path = os.path.normcase(os.path.abspath(filename))
    return path in _OURS or os.path.dirname(path) in _OURS


def user_frames(tb: TracebackType | None) -> TracebackType | None:
    while tb is not None and _is_ours(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return tb


def _without_handler(tb: TracebackType | None) -> TracebackType | None:
    """`tb` without its last frames when they are the SIGINT handler's."""
    frames = []
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    while frames and os.path.normcase(frames[-1].tb_frame.f_code.co_filename) == _SIGINT:
        frames.pop()
    if not frames:
        return None
    frames[-1].tb_next = None
    return frames[0]


def format_exception(error: BaseException) -> str:
    """The text CPython writes to stderr when `error` ends a program."""
    error.__traceback__ = _without_handler(user_frames(error.__traceback__))
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))
