"""client/worker/stdio.py: the streams a program run by `python` gets. Output goes through
at once and in order, bytes included; input is the piped text, else the terminal a line
at a time, with read(n) and readline(n) keeping what they did not hand out."""

from __future__ import annotations

import sys

import pytest

from client.worker.stdio import TextIn, TextOut, redirected


class Typed:
    """The terminal's reader: each call is one line typed; None is Ctrl+D."""

    def __init__(self, *lines: str | None, blocked: bool = False) -> None:
        self.lines, self.blocked = list(lines), blocked
        self.calls = 0

    def __call__(self) -> str | None:
        self.calls += 1
        if self.blocked:
            raise EOFError("no terminal input on a page without cross-origin isolation")
        return self.lines.pop(0) if self.lines else None


def test_output_goes_through_at_once_text_and_bytes_alike() -> None:
    written: list[str] = []
    out = TextOut(written.append, tty=True, name="<stdout>")
    assert out.write("a") == 1 and out.write("") == 0
    assert out.buffer.write(b"caf\xc3\xa9 \xff\n") == 8  # not UTF-8: kept, not an error
    assert written == ["a", "café \udcff\n"]
    assert (out.name, out.isatty(), out.writable(), out.encoding) == (
        "<stdout>",
        True,
        True,
        "utf-8",
    )
    with pytest.raises(TypeError, match="write\\(\\) argument must be str, not bytes"):
        out.write(b"x")  # type: ignore[arg-type]
    print("x", 1, sep="-", file=out)
    assert written[-4:] == ["x", "-", "1", "\n"]  # each piece as print wrote it: no buffer


def test_a_stream_is_a_tty_only_where_the_terminal_is() -> None:
    assert not TextOut(print, tty=False, name="<stderr>").isatty()
    assert TextIn(None, Typed()).isatty()
    assert not TextIn("piped", Typed()).isatty()
    assert not TextIn(None, None).isatty()


def test_piped_text_reads_by_line_by_size_and_whole() -> None:
    stdin = TextIn("one\ntwo\nthree", None)
    assert stdin.readline() == "one\n"
    assert stdin.read(2) == "tw"
    assert stdin.readline() == "o\n"  # the rest of the line read(2) began
    assert list(stdin) == ["three"]  # the last line has no newline
    assert stdin.read() == "" and stdin.readline() == ""


def test_readline_with_a_size_keeps_the_rest_for_later() -> None:
    stdin = TextIn("abcdef\n", None)
    assert stdin.readline(2) == "ab"
    assert stdin.readline(0) == ""
    assert stdin.readline(None) == "cdef\n"


def test_the_terminal_is_read_a_line_at_a_time_and_only_when_asked() -> None:
    typed = Typed("Ada\n", "Lovelace\n", None, "after\n")
    stdin = TextIn(None, typed)
    assert typed.calls == 0
    assert stdin.readline() == "Ada\n"
    assert stdin.read(3) == "Lov"
    assert typed.calls == 2
    assert stdin.read() == "elace\n"  # then Ctrl+D ends this read
    assert stdin.readline() == "after\n"  # a later read asks the terminal again


def test_a_terminal_that_cannot_block_is_end_of_input() -> None:
    typed = Typed(blocked=True)
    stdin = TextIn(None, typed)
    assert stdin.readline() == "" and stdin.read() == ""
    assert typed.calls == 2


def test_no_terminal_and_nothing_piped_is_end_of_input() -> None:
    stdin = TextIn(None, None)
    assert (stdin.readline(), stdin.read(), stdin.name, stdin.readable()) == (
        "",
        "",
        "<stdin>",
        True,
    )


def test_redirected_puts_the_interpreters_streams_back_even_after_an_error() -> None:
    saved = sys.stdin, sys.stdout, sys.stderr
    out: list[str] = []
    err: list[str] = []
    streams = TextIn("in\n", None), TextOut(out.append, False, "o"), TextOut(err.append, False, "e")
    with pytest.raises(ZeroDivisionError), redirected(*streams):
        print("printed")
        print("warned", file=sys.stderr)
        assert input() == "in"
        _ = 1 / 0
    assert (sys.stdin, sys.stdout, sys.stderr) == saved
    assert "".join(out) == "printed\n" and "".join(err) == "warned\n"
