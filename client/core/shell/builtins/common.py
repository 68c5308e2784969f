"""Small helpers the builtins share: how a builtin is listed in its family's COMMANDS,
option errors in coreutils' words, reading files the way every builtin does, and the reason
text of an OSError."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Mapping
from typing import Final, TypedDict

from ..commands import Handler, Io
from ..options import Parsed, UsageError, parse, usage_message


class _TextMode(TypedDict):
    encoding: str
    errors: str
    newline: str


ENCODING: Final[_TextMode] = {"encoding": "utf-8", "errors": "surrogateescape", "newline": ""}

# A family's commands: name -> (handler, the line `help` shows for it).
Family = dict[str, tuple[Handler, str]]


def builtin(family: Family, name: str, summary: str) -> Callable[[Handler], Handler]:
    """Decorator: list the handler in its module's COMMANDS as `name`, so what `help` says
    of a command stands beside its code."""

    def add(handler: Handler) -> Handler:
        family[name] = (handler, summary)
        return handler

    return add


def options(
    argv: list[str],
    io: Io,
    status: int = 1,
    flags: str = "",
    valued: str = "",
    long: Mapping[str, str] | None = None,
    numeric: str | None = None,
) -> Parsed | int:
    """The parsed options, or the exit status after printing the usage error."""
    try:
        return parse(argv, flags, valued, long, numeric)
    except UsageError as error:
        return io.fail(usage_message(argv[0], error), status)


def reason(error: OSError) -> str:
    """`No such file or directory`, `Is a directory`...: strerror without the errno."""
    return error.strerror or os.strerror(error.errno or errno.EIO)


def read_text(path: str) -> str:
    with open(path, **ENCODING) as handle:
        return str(handle.read())


def write_text(path: str, text: str, mode: str = "w") -> None:
    with open(path, mode, **ENCODING) as handle:
        handle.write(text)
