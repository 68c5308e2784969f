"""A line editor for a raw terminal: keystrokes in, bytes to echo and finished lines out.

The worker's terminal is raw (xterm.js sends what keys produce and shows what it is sent),
so the echo, cursor moves and redraws are ours. This is a pure state machine: feed it
chunks, write `Output.echo` to the terminal, run `Output.line`, then call `start()` for the
next prompt. Input that arrives after Enter and before `start()` (typeahead, or the rest of
a pasted block) waits and is replayed by `start()`.

Keys: printable text; Enter; Backspace; Delete; ←/→, Home/End, Ctrl+A/E/B/F; Alt+B/F and
Ctrl+←/→ by word; ↑/↓ and Ctrl+P/N through history; Ctrl+U/K/W (and Alt+Backspace) cut,
Ctrl+Y pastes the cut; Ctrl+L clears the screen; Ctrl+C drops the line (`^C`); Ctrl+D
ends input on an empty line and deletes forward otherwise; Tab completes.

The engine keeps `width` in step with the terminal's columns (for listing completions).
For a running program's `input()`, a second editor with `prompt=""`, its own History and
no completer gives the same cooked-mode editing.

A line longer than the terminal's width wraps, and moves across rows follow it, provided
the prompt starts at column 0 and `width` is current. Wide (CJK) characters count as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .columns import columns
from .completion import Completer
from .history import History

CLEAR_SCREEN = "\x1b[H\x1b[2J"
ERASE_BELOW = "\x1b[J"  # to the end of the screen: a shorter line may have used more rows
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MAX_LISTED = 200

_KEYS = {
    "\r": "enter",
    "\n": "enter",
    "\r\n": "enter",
    "\x7f": "backspace",
    "\x08": "backspace",
    "\x1b[3~": "delete",
    "\x1b[A": "up",
    "\x1bOA": "up",
    "\x10": "up",
    "\x1b[B": "down",
    "\x1bOB": "down",
    "\x0e": "down",
    "\x1b[C": "right",
    "\x1bOC": "right",
    "\x06": "right",
    "\x1b[D": "left",
    "\x1bOD": "left",
    "\x02": "left",
    "\x1b[H": "home",
    "\x1bOH": "home",
    "\x1b[1~": "home",
    "\x1b[7~": "home",
    "\x01": "home",
    "\x1b[F": "end",
    "\x1bOF": "end",
    "\x1b[4~": "end",
    "\x1b[8~": "end",
    "\x05": "end",
    "\x1b[1;5D": "word_left",
    "\x1bb": "word_left",
    "\x1b[1;5C": "word_right",
    "\x1bf": "word_right",
    "\x15": "cut_start",
    "\x0b": "cut_end",
    "\x17": "cut_word",
    "\x1b\x7f": "cut_word",
    "\x19": "paste",
    "\x0c": "clear",
    "\x03": "cancel",
    "\x04": "eof",
    "\t": "complete",
}


@dataclass
class Output:
    echo: str = ""  # write this to the terminal
    line: str | None = None  # a finished line, to run
    eof: bool = False  # Ctrl+D on an empty line: close the shell
    cancelled: bool = False  # Ctrl+C dropped the line (bash then sets $? to 130)
    interrupt: bool = False  # Ctrl+C while no line was being read: stop the running command


def visible_width(text: str) -> int:
    """Columns `text` takes on screen, colour and other CSI sequences aside."""
    return len(_ANSI.sub("", text))


def _escape_sequence(data: str, i: int) -> str | None:
    """The escape sequence starting at data[i], or None when the chunk ends inside it."""
    if i + 1 >= len(data):
        # xterm sends the Escape key as a chunk of its own; an ESC ending a longer chunk is
        # the start of a sequence whose rest is in the next chunk.
        return "\x1b" if data == "\x1b" else None
    kind = data[i + 1]
    if kind == "[":
        for j in range(i + 2, len(data)):
            if "\x40" <= data[j] <= "\x7e":
                return data[i : j + 1]
        return None
    if kind == "O":
        return data[i : i + 3] if i + 2 < len(data) else None
    return data[i : i + 2]  # Alt+key


class LineEditor:
    def __init__(
        self,
        history: History | None = None,
        complete: Completer | None = None,
        prompt: str = "$ ",
        width: int = 80,
    ) -> None:
        self.history = history if history is not None else History()
        self.complete = complete
        self.prompt = prompt
        self.width = width  # the terminal's columns, for listing completions
        self.buffer = ""
        self.cursor = 0
        self.active = False
        self._shown = 0  # where the terminal's cursor is, as an index into the input
        self._drawn = 0  # how much of the input the terminal shows
        self._index = 0  # position in history; len(history) is the line being typed
        self._draft = ""  # the line being typed, kept while browsing history
        self._cut = ""
        self._partial = ""  # an escape sequence split across chunks
        self._queued = ""  # input that arrived while no line was being read

    # --- the engine's side ---------------------------------------------------------------

    def start(self, prompt: str | None = None) -> Output:
        """Show the prompt and read a new line (replaying any typeahead)."""
        if prompt is not None:
            self.prompt = prompt
        self.buffer, self.cursor, self._shown, self._drawn = "", 0, 0, 0
        self._index, self._draft = len(self.history), ""
        self.active = True
        queued, self._queued = self._queued, ""
        out = self.feed(queued)
        out.echo = self.prompt + out.echo
        return out

    def feed(self, data: str) -> Output:
        """Process keystrokes; stops at the first finished line and queues the rest."""
        out = Output()
        data, self._partial = self._partial + data, ""
        i = 0
        while i < len(data):
            if not self.active:
                self._queue(data[i:], out)
                break
            c = data[i]
            if c == "\x1b":
                key = _escape_sequence(data, i)
                if key is None:
                    self._partial = data[i:]
                    break
            elif c == "\r" and data[i + 1 : i + 2] == "\n":
                key = "\r\n"
            elif c >= " " and c != "\x7f":
                end = i
                while end < len(data) and data[end] >= " " and data[end] != "\x7f":
                    end += 1
                key = data[i:end]
                self._insert(key, out)
                i = end
                continue
            else:
                key = c
            i += len(key)
            self._key(_KEYS.get(key, ""), out)  # other keys and sequences do nothing
        return out

    def _queue(self, data: str, out: Output) -> None:
        """Input while a command runs waits for the next prompt, except Ctrl+C: it asks the
        engine to interrupt the command and drops what was typed before it, as a
        terminal's interrupt character flushes pending input."""
        _before, interrupt, after = data.rpartition("\x03")
        if interrupt:
            out.interrupt = True
            self._queued = after
        else:
            self._queued += data

    # --- editing -------------------------------------------------------------------------

    def _key(self, action: str, out: Output) -> None:
        if action:
            getattr(self, "_" + action)(out)

    def _set(self, buffer: str, cursor: int, out: Output, since: int | None = None) -> None:
        """Change the line and echo the least that makes the terminal show it."""
        if since is None:
            since = _first_difference(self.buffer, buffer)
        self.buffer, self.cursor = buffer, cursor
        echo = self._goto(self._shown, since) + buffer[since:] + self._wrapped(len(buffer), since)
        if len(buffer) < self._drawn:
            echo += ERASE_BELOW
        echo += self._goto(len(buffer), cursor)
        out.echo += echo
        self._shown, self._drawn = cursor, len(buffer)

    def _place(self, cursor: int, out: Output) -> None:
        out.echo += self._goto(self._shown, cursor)
        self.cursor = self._shown = cursor

    # A line longer than the terminal wraps onto more rows, so moves between two indexes of
    # the input are computed in (row, column) from where the prompt starts (column 0).

    def _position(self, index: int) -> tuple[int, int]:
        return divmod(visible_width(self.prompt) + index, max(self.width, 1))

    def _goto(self, index: int, target: int) -> str:
        (row, col), (to_row, to_col) = self._position(index), self._position(target)
        if row == to_row:
            if to_col < col:
                return f"\x1b[{col - to_col}D"
            return f"\x1b[{to_col - col}C" if to_col > col else ""
        vertical = f"\x1b[{row - to_row}A" if to_row < row else f"\x1b[{to_row - row}B"
        return vertical + "\r" + (f"\x1b[{to_col}C" if to_col else "")

    def _wrapped(self, end: int, since: int) -> str:
        """After writing up to the last column a terminal waits to wrap until the next
        character; step to the next row now so the cursor is where `end` says."""
        if end > since and self._position(end)[1] == 0:
            return "\r\n"
        return ""

    def _insert(self, text: str, out: Output) -> None:
        before, after = self.buffer[: self.cursor], self.buffer[self.cursor :]
        self._set(before + text + after, self.cursor + len(text), out, since=self.cursor)

    def _enter(self, out: Output) -> None:
        self._place(len(self.buffer), out)
        out.echo += "\r\n"
        out.line = self.buffer
        self.active = False

    def _backspace(self, out: Output) -> None:
        if self.cursor:
            b, c = self.buffer, self.cursor
            self._set(b[: c - 1] + b[c:], c - 1, out, since=c - 1)

    def _delete(self, out: Output) -> None:
        b, c = self.buffer, self.cursor
        if c < len(b):
            self._set(b[:c] + b[c + 1 :], c, out, since=c)

    def _left(self, out: Output) -> None:
        self._place(max(self.cursor - 1, 0), out)

    def _right(self, out: Output) -> None:
        self._place(min(self.cursor + 1, len(self.buffer)), out)

    def _home(self, out: Output) -> None:
        self._place(0, out)

    def _end(self, out: Output) -> None:
        self._place(len(self.buffer), out)

    def _word_start(self) -> int:
        i = self.cursor
        while i and self.buffer[i - 1] == " ":
            i -= 1
        while i and self.buffer[i - 1] != " ":
            i -= 1
        return i

    def _word_left(self, out: Output) -> None:
        self._place(self._word_start(), out)

    def _word_right(self, out: Output) -> None:
        i, b = self.cursor, self.buffer
        while i < len(b) and b[i] == " ":
            i += 1
        while i < len(b) and b[i] != " ":
            i += 1
        self._place(i, out)

    def _cut_start(self, out: Output) -> None:
        self._cut = self.buffer[: self.cursor] or self._cut
        self._set(self.buffer[self.cursor :], 0, out, since=0)

    def _cut_end(self, out: Output) -> None:
        self._cut = self.buffer[self.cursor :] or self._cut
        self._set(self.buffer[: self.cursor], self.cursor, out, since=self.cursor)

    def _cut_word(self, out: Output) -> None:
        start = self._word_start()
        self._cut = self.buffer[start : self.cursor] or self._cut
        self._set(self.buffer[:start] + self.buffer[self.cursor :], start, out, since=start)

    def _paste(self, out: Output) -> None:
        if self._cut:
            self._insert(self._cut, out)

    def _recall(self, index: int, out: Output) -> None:
        if self._index == len(self.history):
            self._draft = self.buffer
        self._index = index
        text = self.history[index] if index < len(self.history) else self._draft
        self._set(text, len(text), out)

    def _up(self, out: Output) -> None:
        if self._index > 0:
            self._recall(self._index - 1, out)

    def _down(self, out: Output) -> None:
        if self._index < len(self.history):
            self._recall(self._index + 1, out)

    def _redraw(self) -> str:
        """The prompt and the line again, on a fresh row, cursor where it was."""
        self._shown, self._drawn = self.cursor, len(self.buffer)
        end = len(self.buffer)
        return self.prompt + self.buffer + self._wrapped(end, -1) + self._goto(end, self.cursor)

    def _clear(self, out: Output) -> None:
        out.echo += CLEAR_SCREEN + self._redraw()

    def _cancel(self, out: Output) -> None:
        self._place(len(self.buffer), out)
        out.echo += "^C\r\n" + self.prompt
        out.cancelled = True
        self.buffer, self.cursor, self._shown, self._drawn = "", 0, 0, 0
        self._index, self._draft = len(self.history), ""

    def _eof(self, out: Output) -> None:
        if self.buffer:
            self._delete(out)
            return
        out.echo += "\r\n"
        out.eof = True
        self.active = False

    def _complete(self, out: Output) -> None:
        if self.complete is None:
            return
        found = self.complete(self.buffer[: self.cursor])
        typed = self.buffer[found.start : self.cursor]
        if not found.matches:
            out.echo += "\a"  # the terminal's bell: nothing to complete
            return
        if len(found.matches) == 1:
            match = found.matches[0]
            self._replace(found.start, match + ("" if match.endswith("/") else " "), out)
            return
        common = _common_prefix(found.matches)
        if len(common) > len(typed):
            self._replace(found.start, common, out)
            return
        # Several candidates and nothing more in common: list them under the line, then
        # draw the prompt and the line again below the list, as bash does.
        labels = found.labels or found.matches
        listing = columns(labels[:MAX_LISTED], self.width)
        if len(labels) > MAX_LISTED:
            listing.append(f"... and {len(labels) - MAX_LISTED} more")
        out.echo += self._goto(self._shown, len(self.buffer)) + "\r\n"
        out.echo += "\r\n".join(listing) + "\r\n" + self._redraw()

    def _replace(self, start: int, text: str, out: Output) -> None:
        rest = self.buffer[self.cursor :]
        self._set(self.buffer[:start] + text + rest, start + len(text), out)


def _first_difference(old: str, new: str) -> int:
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            return index
    return min(len(old), len(new))


def _common_prefix(words: list[str]) -> str:
    first, last = min(words), max(words)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]
