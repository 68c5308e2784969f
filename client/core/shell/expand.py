"""Word expansion in bash's order: tilde, variables, field splitting, then globbing.

What may happen to a piece depends on its quoting (see lexer): only bare text globs, and
only a bare *variable's value* is split on whitespace, so `ls $FILES` sees two arguments
when FILES="a b" while `ls "$FILES"` sees one. A glob that matches nothing stays as typed
(bash's default), and dotfiles only match a pattern that starts with a dot.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable

from .lexer import BARE, DOUBLE, LITERAL, Word

Lookup = Callable[[str], "str | None"]

_VARIABLE = re.compile(r"\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*)|([?$#0-9!@*-]))")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[?$#0-9!@*-]")
_GLOB_CHARS = re.compile(r"[*?\[]")
_IFS = " \t\n"


class BadSubstitution(Exception):
    pass


def substitute(text: str, lookup: Lookup) -> list[tuple[str, bool]]:
    """Split `text` into (piece, came_from_a_variable) pairs with variables replaced."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for match in _VARIABLE.finditer(text):
        if match.start() > pos:
            pieces.append((text[pos : match.start()], False))
        braced, name, special = match.groups()
        if braced is not None:
            pieces.append((_braced(braced, lookup, match.group()), True))
        else:
            pieces.append((lookup(name or special) or "", True))
        pos = match.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces


def _braced(inner: str, lookup: Lookup, whole: str) -> str:
    """`${NAME}`, `${NAME:-default}` and `${#NAME}` (its length)."""
    if inner.startswith("#") and _NAME.fullmatch(inner[1:]):
        return str(len(lookup(inner[1:]) or ""))
    name, sep, default = inner.partition(":-")
    if not _NAME.fullmatch(name):
        raise BadSubstitution(f"{whole}: bad substitution")
    value = lookup(name)
    if sep and not value:
        return "".join(text for text, _ in substitute(default, lookup))
    return value or ""


class _Fields:
    """Fields being built; each is a list of (text, may_glob) pieces."""

    def __init__(self) -> None:
        self.done: list[list[tuple[str, bool]]] = []
        self.current: list[tuple[str, bool]] = []
        self.keep = False  # a quoted part, even empty, makes a field exist

    def add(self, text: str, may_glob: bool, quoted: bool = False) -> None:
        self.current.append((text, may_glob))
        self.keep = self.keep or quoted or bool(text)

    def split(self) -> None:
        if self.keep:
            self.done.append(self.current)
        self.current, self.keep = [], False

    def add_split(self, value: str) -> None:
        """A bare variable's value: whitespace separates fields."""
        for index, chunk in enumerate(re.split(r"[ \t\n]+", value)):
            if index:
                self.split()
            if chunk:
                self.add(chunk, True)


def expand_tilde(word: Word, home: str) -> Word:
    if not word.parts or word.parts[0][1] != BARE:
        return word
    head = word.parts[0][0]
    if head == "~" or head.startswith("~/"):
        rest = ((head[1:], BARE),) if head[1:] else ()
        return Word(((home, LITERAL), *rest, *word.parts[1:]))
    return word


def fields(word: Word, lookup: Lookup, home: str) -> list[list[tuple[str, bool]]]:
    out = _Fields()
    for text, kind in expand_tilde(word, home).parts:
        if kind == LITERAL:
            out.add(text, False, quoted=True)
        elif kind == DOUBLE:
            out.add("".join(t for t, _ in substitute(text, lookup)), False, quoted=True)
        else:
            for piece, from_variable in substitute(text, lookup):
                if from_variable:
                    out.add_split(piece)
                else:
                    out.add(piece, True)
    out.split()
    return out.done


def glob_field(pieces: list[tuple[str, bool]], cwd: str) -> list[str]:
    """The paths a field matches, relative to `cwd` as typed, or the field itself."""
    literal = "".join(text for text, _ in pieces)
    if not any(may and _GLOB_CHARS.search(text) for text, may in pieces):
        return [literal]
    pattern = "".join(text if may else glob.escape(text) for text, may in pieces)
    matches = glob.glob(pattern, root_dir=None if os.path.isabs(pattern) else cwd)
    return sorted(matches) or [literal]


def expand_word(word: Word, lookup: Lookup, home: str, cwd: str) -> list[str]:
    """One word to zero or more arguments."""
    result: list[str] = []
    for pieces in fields(word, lookup, home):
        result.extend(glob_field(pieces, cwd))
    return result


def expand_words(words: list[Word], lookup: Lookup, home: str, cwd: str) -> list[str]:
    return [arg for word in words for arg in expand_word(word, lookup, home, cwd)]


def expand_value(word: Word, lookup: Lookup, home: str) -> str:
    """An assignment's value or a here-string: variables and tilde, no split, no glob."""
    return "".join(
        "".join(t for t, _ in substitute(text, lookup)) if kind != LITERAL else text
        for text, kind in expand_tilde(word, home).parts
    )
