"""The interactive prompt of `python` with no arguments: CPython's classic REPL.

Our own small loop over `codeop.CommandCompiler` rather than `code.InteractiveConsole`,
because that class changed between 3.11 (the tests) and 3.14 (Pyodide) in how it exits
and reports, and we want one behaviour: `>>> ` and `... ` prompts, a block ends on an
empty line, expression values echoed by sys.displayhook, tracebacks for `<stdin>` that
leave the session running, Ctrl+C drops the line or stops the statement
(`KeyboardInterrupt`), Ctrl+D or `exit()` leaves with the status given.
"""

from __future__ import annotations

import codeop
import sys
from collections.abc import Callable

from .tracebacks import format_exception

PS1, PS2 = ">>> ", "... "


def banner() -> str:
    return (
        f"Python {sys.version} on {sys.platform}\n"
        'Type "help", "copyright", "credits" or "license" for more information.\n'
    )


def interact(
    namespace: dict[str, object], write_err: Callable[[str], object], read_line: Callable[[], str]
) -> int:
    """Run the prompt until end of input or SystemExit; return the exit status (the
    caller turns SystemExit's code into a status). `read_line` returns "" at end."""
    compiler = codeop.CommandCompiler()
    lines: list[str] = []
    while True:
        write_err(PS2 if lines else PS1)
        try:
            line = read_line()
        except KeyboardInterrupt:
            write_err("\nKeyboardInterrupt\n")
            lines.clear()
            continue
        if not line:  # Ctrl+D
            write_err("\n")
            return 0
        lines.append(line.rstrip("\n"))
        try:
            code = compiler("\n".join(lines), "<stdin>", "single")
        except (SyntaxError, OverflowError, ValueError) as error:
            lines.clear()
            error.__traceback__ = None  # the compiler's frames are not the user's
            write_err(format_exception(error))
            continue
        if code is None:  # an open block or bracket: keep reading with `... `
            continue
        lines.clear()
        try:
            exec(code, namespace)  # noqa: S102 (the user typed it to run it)
        except SystemExit:
            raise
        except BaseException as error:  # KeyboardInterrupt too: the session goes on
            write_err(format_exception(error))
