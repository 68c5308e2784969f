"""Small helpers the file and text builtins share: option errors in coreutils' words,
reading files the way every builtin does, and the reason text of an OSError."""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from typing import Final, TypedDict

from ..commands import Io
from ..options import Parsed, UsageError, parse, usage_message


class _TextMode(TypedDict):
    encoding: str
    errors: str
    newline: str


ENCODING: Final[_TextMode] = {"encoding": "utf-8", "errors": "surrogateescape", "newline": ""}


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
