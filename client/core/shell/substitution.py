"""Command substitution, `$(cmd)` and `cmd` in backticks: run the inner line first and use
its output (trailing newlines removed) in place.

Expansion is synchronous but commands are async, so substitution is a pass before it: each
`$(...)` in a bare or double-quoted piece runs, its output is stored under a fresh
variable name, and the piece is rewritten to `${that name}`. Ordinary variable expansion
then gives the output bash's treatment for free: split and globbed when bare, kept whole
inside double quotes, untouched inside single quotes (where the lexer never looks).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .lexer import LITERAL, Word, substitutions

Capture = Callable[[str], Awaitable[str]]  # inner line -> its output
Store = Callable[[str], str]  # output -> the variable name now holding it


def has_substitution(word: Word) -> bool:
    return any(kind != LITERAL and ("$(" in text or "`" in text) for text, kind in word.parts)


async def substitute(word: Word, capture: Capture, store: Store) -> Word:
    if not has_substitution(word):
        return word
    parts: list[tuple[str, str]] = []
    for text, kind in word.parts:
        if kind == LITERAL:
            parts.append((text, kind))
            continue
        pieces, pos = [], 0
        for start, end in substitutions(text):
            inner = text[start + 2 : end - 1] if text[start] == "$" else text[start + 1 : end - 1]
            output = await capture(inner)
            pieces.append(text[pos:start] + "${" + store(output.rstrip("\n")) + "}")
            pos = end
        parts.append(("".join(pieces) + text[pos:], kind))
    return Word(tuple(parts))
