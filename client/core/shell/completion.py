"""Tab completion: command names for the first word of a command, paths for the others.

The line editor only knows text; this module knows the shell (its registry, cwd, HOME).
A completion replaces the whole word under the cursor with an escaped form of the
completed name, so `my fi<Tab>` becomes `my\\ file.txt` and the result still parses.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .interpreter import Shell

_SEPARATORS = " \t;|&<>"
_COMMAND_STARTS = frozenset(";|&")  # what may start a new command
_SPECIAL = frozenset(" \t\n\\'\"$`;|&<>()*?[]#~!{}")


@dataclass
class Completion:
    start: int  # where the word being completed starts in the text before the cursor
    matches: list[str] = field(default_factory=list)  # replacements for text[start:]
    labels: list[str] = field(default_factory=list)  # what to list when several match


Completer = Callable[[str], Completion]


def escape(name: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in name)


def current_word(text: str) -> tuple[int, str, bool]:
    """(start index, the word without its quoting, is it a command's first word)."""
    start, word, quote = 0, [], ""
    words_before = 0  # complete words already in this command
    redirect = False  # the word being typed follows `>` or `<`: a path
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                quote = ""
            else:
                word.append(c)
        elif c == "\\" and i + 1 < len(text):
            word.append(text[i + 1])
            i += 1
        elif c in "'\"":
            quote = c
        elif c in _SEPARATORS:
            if word and not redirect:
                words_before += 1
            if word:
                redirect = False
            if c in _COMMAND_STARTS:
                words_before, redirect = 0, False
            elif c in "<>":
                redirect = True
            word, start = [], i + 1
        else:
            word.append(c)
        i += 1
    return start, "".join(word), words_before == 0 and not redirect


def complete_commands(prefix: str, names: list[str]) -> tuple[list[str], list[str]]:
    found = [name for name in names if name.startswith(prefix)]
    return [escape(name) for name in found], found


def complete_paths(word: str, cwd: str, home: str) -> tuple[list[str], list[str]]:
    folder, slash, prefix = word.rpartition("/")
    typed_folder = folder + slash
    real_folder = typed_folder
    if typed_folder == "~/" or typed_folder.startswith("~/"):
        real_folder = home.rstrip("/") + typed_folder[1:]
    elif word == "~":
        return [escape(home.rstrip("/")) + "/"], ["~/"]
    base = os.path.join(cwd, real_folder or ".")
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return [], []
    matches, labels = [], []
    for name in names:
        if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
            continue
        is_dir = os.path.isdir(os.path.join(base, name))
        suffix = "/" if is_dir else ""
        head = (
            "~/" + escape(typed_folder[2:])
            if typed_folder.startswith("~/")
            else escape(typed_folder)
        )
        matches.append(head + escape(name) + suffix)
        labels.append(name + suffix)
    return matches, labels


def shell_completer(shell: Shell) -> Completer:
    """The completer a line editor uses for this shell (reads its state at each Tab)."""

    def complete(text: str) -> Completion:
        start, word, first = current_word(text)
        if first and "/" not in word:
            matches, labels = complete_commands(word, shell.registry.names())
        else:
            matches, labels = complete_paths(word, shell.cwd, shell.home)
        return Completion(start, matches, labels)

    return complete
