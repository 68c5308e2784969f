"""client.core.shell.readline: the line editor's keys, echo, history and completion."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from client.core.shell.completion import Completion
from client.core.shell.history import History
from client.core.shell.readline import LineEditor, Output

UP, DOWN, RIGHT, LEFT = "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D"
HOME, END, DELETE = "\x1b[H", "\x1b[F", "\x1b[3~"
BACKSPACE, ENTER = "\x7f", "\r"


def screen(echo: str, width: int = 80) -> str:
    """Replay the echo on a small terminal emulator and return what it shows, rows joined
    by newlines and the cursor as `|`. Autowrap is xterm's: after the last column the
    cursor waits there until the next character."""
    rows: list[list[str]] = [[]]
    row = col = 0
    pending = False
    for token in re.findall(r"\x1b\[\d*[A-Za-z]|\r\n|.", echo, re.S):
        if token == "\r\n":
            row, col, pending = row + 1, 0, False
        elif token == "\r":
            col, pending = 0, False
        elif token == "\a":
            continue
        elif token.startswith("\x1b["):
            count, kind = int(token[2:-1] or 1), token[-1]
            pending = False
            if kind == "A":
                row -= count
            elif kind == "B":
                row += count
            elif kind == "C":
                col = min(col + count, width - 1)
            elif kind == "D":
                col = max(col - count, 0)
            elif kind == "K":
                del rows[row][col:]
            elif kind == "J":
                del rows[row][col:]
                del rows[row + 1 :]
            elif kind == "H":
                row = col = 0
        else:
            if pending:
                row, col, pending = row + 1, 0, False
            while len(rows) <= row:
                rows.append([])
            line = rows[row]
            line.extend(" " * (col + 1 - len(line)))
            line[col] = token
            if col == width - 1:
                pending = True
            else:
                col += 1
        while len(rows) <= row:
            rows.append([])
    texts = ["".join(line) for line in rows]
    at = col + 1 if pending else col
    texts[row] = texts[row].ljust(at)[:at] + "|" + texts[row][at:]
    return "\n".join(texts)


class Typist:
    """An editor and everything it echoed so far."""

    def __init__(self, editor: LineEditor) -> None:
        self.editor = editor
        self.echo = editor.start().echo

    def type(self, keys: str) -> Output:
        out = self.editor.feed(keys)
        self.echo += out.echo
        return out

    @property
    def shown(self) -> str:
        return screen(self.echo)


@pytest.fixture
def typist() -> Typist:
    return Typist(LineEditor(History(["echo one", "ls -la"]), prompt="$ "))


def test_typing_and_enter(typist: Typist) -> None:
    out = typist.type("echo hi")
    assert out.echo == "echo hi" and out.line is None
    assert typist.shown == "$ echo hi|"
    out = typist.type(ENTER)
    assert out.line == "echo hi" and out.echo == "\r\n"
    assert not typist.editor.active


def test_cursor_moves_and_editing_in_the_middle(typist: Typist) -> None:
    typist.type("echo wrld")
    typist.type(LEFT * 3 + "o")
    assert typist.shown == "$ echo wo|rld"
    typist.type(HOME)
    assert typist.shown == "$ |echo world"
    typist.type(DELETE * 5)
    assert typist.shown == "$ |world"
    typist.type(END + BACKSPACE)
    assert typist.shown == "$ worl|"
    typist.type("\x01" + RIGHT + "\x7f")  # Ctrl+A, →, Backspace
    assert typist.shown == "$ |orl"
    typist.type("\x05" + "d")  # Ctrl+E
    assert typist.type(ENTER).line == "orld"


def test_word_moves_and_cuts(typist: Typist) -> None:
    typist.type("git commit -m msg")
    typist.type("\x1bb")  # Alt+B
    assert typist.shown == "$ git commit -m |msg"
    typist.type("\x1b[1;5D\x1b[1;5D")  # Ctrl+← twice
    assert typist.shown == "$ git |commit -m msg"
    typist.type("\x1bf")
    assert typist.shown == "$ git commit| -m msg"
    typist.type("\x17")  # Ctrl+W
    assert typist.shown == "$ git | -m msg"
    typist.type("\x0b")  # Ctrl+K
    assert typist.shown == "$ git |"
    typist.type("\x19")  # Ctrl+Y pastes what was cut last
    assert typist.shown == "$ git  -m msg|"
    typist.type("\x15")  # Ctrl+U
    assert typist.shown == "$ |"


def test_history_up_and_down_keeps_the_draft(typist: Typist) -> None:
    typist.type("draft")
    typist.type(UP)
    assert typist.shown == "$ ls -la|"
    typist.type(UP)
    assert typist.shown == "$ echo one|"
    typist.type(UP)  # nothing older
    assert typist.shown == "$ echo one|"
    typist.type(DOWN + DOWN)
    assert typist.shown == "$ draft|"
    typist.type(DOWN)
    assert typist.shown == "$ draft|"
    typist.type("\x10")  # Ctrl+P
    assert typist.type(ENTER).line == "ls -la"


def test_ctrl_c_drops_the_line(typist: Typist) -> None:
    typist.type("half typed")
    out = typist.type("\x03")
    assert out.cancelled and out.line is None
    assert out.echo.endswith("^C\r\n$ ")
    assert typist.editor.buffer == "" and typist.editor.active
    assert typist.type("ok" + ENTER).line == "ok"


def test_ctrl_d_ends_on_an_empty_line_only(typist: Typist) -> None:
    typist.type("ab" + LEFT + LEFT)
    assert not typist.type("\x04").eof  # deletes forward instead
    assert typist.shown == "$ |b"
    typist.type("\x04")
    out = typist.type("\x04")
    assert out.eof and not typist.editor.active


def test_ctrl_l_clears_and_redraws(typist: Typist) -> None:
    typist.type("abc" + LEFT)
    out = typist.type("\x0c")
    assert out.echo.startswith("\x1b[H\x1b[2J$ abc")
    assert typist.shown == "$ ab|c"


def test_typeahead_waits_for_the_next_prompt(typist: Typist) -> None:
    out = typist.type("ls\rpwd\r")
    assert out.line == "ls"
    assert typist.type("x").echo == ""  # queued while the command runs
    out = typist.editor.start("> ")
    assert out.echo == "> pwd\r\n" and out.line == "pwd"
    out = typist.editor.start()
    assert out.echo == "> x" and typist.editor.buffer == "x"


def test_ctrl_c_while_a_command_runs_asks_for_an_interrupt(typist: Typist) -> None:
    typist.type("loop\r")
    out = typist.type("typed ahead\x03")
    assert out.interrupt and out.echo == ""
    typist.type("next")
    assert typist.editor.start().echo == "$ next"  # what came before Ctrl+C is dropped
    assert not typist.type("\x03").interrupt  # at the prompt it just drops the line


def test_escape_sequences_split_across_chunks(typist: Typist) -> None:
    typist.type("ab\x1b")
    typist.type("[")
    typist.type("D")
    assert typist.shown == "$ a|b"
    typist.type("\x1b[200~pasted\x1b[201~")  # bracketed-paste markers are ignored
    assert typist.editor.buffer == "apastedb"
    typist.type("\x1b[15~\x07")  # F5 and a stray control key do nothing
    typist.type("\x1b")  # the Escape key alone
    assert typist.editor.buffer == "apastedb"
    typist.type("!")
    assert typist.editor.buffer == "apasted!b"


def test_crlf_is_one_enter(typist: Typist) -> None:
    assert typist.type("a\r\n").line == "a"
    assert typist.editor.start().line is None  # the \n was not a second, empty line


def test_history_is_shared_and_persistable() -> None:
    history = History(["a", "", "b", "b"])
    assert history.dump() == ["a", "b", "b"]  # load keeps repeats as saved, drops blanks
    history.add("b")
    history.add("c\n")
    assert history.dump() == ["a", "b", "b", "c"]
    small = History(limit=3)
    for n in range(5):
        small.add(str(n))
    assert small.dump() == ["2", "3", "4"]
    small.load([str(n) for n in range(10)])
    assert small.dump() == ["7", "8", "9"]


def completer(words: list[str], labels: list[str] | None = None) -> Callable[[str], Completion]:
    def complete(text: str) -> Completion:
        start = text.rfind(" ") + 1
        prefix = text[start:]
        found = [w for w in words if w.startswith(prefix)]
        shown = [lab for w, lab in zip(words, labels or words, strict=True) if w in found]
        return Completion(start, found, shown)

    return complete


def test_tab_single_match_completes_with_a_space() -> None:
    typist = Typist(LineEditor(complete=completer(["echo", "exit", "src/"])))
    typist.type("ec\t")
    assert typist.shown == "$ echo |"
    typist.type("s\t")
    assert typist.shown == "$ echo src/|"  # a folder: no space, keep typing


def test_tab_inserts_the_common_prefix_then_lists() -> None:
    words = ["main.py", "make.txt", "manage.py"]
    typist = Typist(LineEditor(complete=completer(words), width=40))
    typist.type("cat m")
    typist.type("\t")
    assert typist.shown == "$ cat ma|"
    out = typist.type("\t")
    assert out.echo == "\r\nmain.py  make.txt  manage.py\r\n$ cat ma"
    assert typist.editor.buffer == "cat ma"
    typist.type("n\t")
    assert typist.editor.buffer == "cat manage.py "


def test_tab_with_no_match_rings_the_bell() -> None:
    typist = Typist(LineEditor(complete=completer(["x"])))
    assert typist.type("q\t").echo == "q\a"
    assert Typist(LineEditor()).type("\t").echo == ""  # no completer: Tab does nothing


def expected_screen(editor: LineEditor) -> str:
    """What the terminal should show: prompt and line wrapped at the width, and the cursor."""
    text, width = editor.prompt + editor.buffer, editor.width
    rows = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    row, col = divmod(len(editor.prompt) + editor.cursor, width)
    rows.extend("" for _ in range(row + 1 - len(rows)))
    rows[row] = rows[row].ljust(col)[:col] + "|" + rows[row][col:]
    return "\n".join(rows)


def trimmed(shown: str) -> str:
    rows = shown.split("\n")
    while len(rows) > 1 and rows[-1] == "" and "|" not in rows[-1]:
        rows.pop()
    return "\n".join(row.rstrip(" ") if "|" not in row else row for row in rows)


def test_long_lines_wrap_and_moves_follow_them() -> None:
    editor = LineEditor(History(["a much longer line from history", "x"]), prompt="$ ", width=10)
    typist = Typist(editor)
    typist.type("abcdefghijklmno")
    assert screen(typist.echo, 10) == "$ abcdefgh\nijklmno|"
    typist.type(HOME + "X")
    assert screen(typist.echo, 10) == "$ X|abcdefg\nhijklmno"
    typist.type(END + BACKSPACE * 8)
    assert screen(typist.echo, 10) == "$ Xabcdefg\n|"  # ends on the last column: next row
    typist.type(LEFT)
    assert trimmed(screen(typist.echo, 10)) == "$ Xabcdef|g"
    typist.type(UP + UP)  # a long history line wraps too
    assert trimmed(screen(typist.echo, 10)) == "$ a much l\nonger line\n from hist\nory|"
    typist.type(DOWN + DOWN)
    assert trimmed(screen(typist.echo, 10)) == "$ Xabcdefg\n|"


def test_random_editing_keeps_the_screen_right() -> None:
    """Any mix of keys on a narrow terminal leaves the screen showing the line and cursor."""
    import random

    keys = [
        "a",
        "bc",
        "defghij",
        LEFT,
        RIGHT,
        HOME,
        END,
        BACKSPACE,
        DELETE,
        UP,
        DOWN,
        "\x17",
        "\x15",
        "\x0b",
        "\x19",
        "\x1bb",
        "\x1bf",
        "\x0c",
    ]
    rng = random.Random(6)
    for width in (7, 10, 13):
        history = History(["short", "a history line longer than the terminal is wide"])
        editor = LineEditor(history, prompt="\x1b[1;34m~\x1b[0m $ ", width=width)
        typist = Typist(editor)
        for _ in range(400):
            typist.type(rng.choice(keys))
            plain = typist.echo.replace("\x1b[1;34m", "").replace("\x1b[0m", "")
            editor_view = LineEditor(prompt="~ $ ", width=width)
            editor_view.buffer, editor_view.cursor = editor.buffer, editor.cursor
            assert trimmed(screen(plain, width)) == trimmed(expected_screen(editor_view)), (
                width,
                editor.buffer,
                editor.cursor,
            )
