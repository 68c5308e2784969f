"""Split a command line into words and operators, remembering how each piece was quoted.

Quoting decides what expansion may do later: a single-quoted piece is literal, a
double-quoted one expands variables but never globs or splits, a bare one does all three.
So a word is kept as a tuple of (text, quoting) parts instead of being flattened here;
flattening first would lose the difference between `*` and `'*'`.
"""

from __future__ import annotations

from dataclasses import dataclass

BARE = "bare"  # unquoted: variables, tilde, globbing and field splitting
DOUBLE = "double"  # "...": variables only
LITERAL = "literal"  # '...' or a backslash-escaped character: nothing

# Longest first, so that `>>` is not read as two `>` and `2>&1` not as `2>` then `&1`.
OPERATORS = (
    "2>&1",
    "1>&2",
    "&&",
    "||",
    ">>",
    "2>>",
    "&>",
    ">&2",
    "2>",
    "1>",
    ";",
    "|",
    "&",
    ">",
    "<",
)
REDIRECTIONS = frozenset({">", ">>", "<", "2>", "2>>", "&>", "1>", "2>&1", "1>&2", ">&2"})
_WORD_END = frozenset(" \t\n;|&<>")
_DOUBLE_ESCAPABLE = frozenset('$`"\\\n')


class ShellSyntaxError(Exception):
    """A line bash would refuse; the message is what follows `cospai-sh: `."""


@dataclass(frozen=True)
class Word:
    parts: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        """The word with its quotes removed, before any expansion (for messages/tests)."""
        return "".join(text for text, _ in self.parts)

    def is_plain(self) -> bool:
        return all(kind == BARE for _, kind in self.parts)


@dataclass(frozen=True)
class Op:
    value: str


Token = Word | Op


def _near(token: str) -> ShellSyntaxError:
    return ShellSyntaxError(f"syntax error near unexpected token '{token}'")


def _operator_at(line: str, i: int) -> str | None:
    for op in sorted(OPERATORS, key=len, reverse=True):
        if line.startswith(op, i):
            return op
    return None


class _WordBuilder:
    """Collects parts, merging neighbours of the same quoting."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []
        self.started = False  # `''` is an (empty) word; nothing at all is not

    def add(self, text: str, kind: str) -> None:
        self.started = True
        if self.parts and self.parts[-1][1] == kind:
            self.parts[-1] = (self.parts[-1][0] + text, kind)
        elif text or kind != BARE:
            self.parts.append((text, kind))

    def take(self) -> Word | None:
        if not self.started:
            return None
        word = Word(tuple(self.parts))
        self.parts, self.started = [], False
        return word


def tokenize(line: str) -> list[Token]:
    tokens: list[Token] = []
    word = _WordBuilder()
    i, n = 0, len(line)

    def flush() -> None:
        done = word.take()
        if done is not None:
            tokens.append(done)

    while i < n:
        c = line[i]
        if c in " \t\n":
            flush()
            i += 1
        elif c == "#" and not word.started:
            break  # a comment runs to the end of the line
        elif (op := _operator_at(line, i)) and (not word.started or not op[0].isdigit()):
            # `2>` is a redirection only at the start of a word: `a2>f` is `a2` then `>`.
            flush()
            tokens.append(Op(op))
            i += len(op)
        elif c == "\\":
            if i + 1 < n:
                word.add(line[i + 1], LITERAL)
            i += 2  # a backslash at the very end is dropped, as bash does
        elif c == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError('unexpected end of line while looking for matching "\'"')
            word.add(line[i + 1 : end], LITERAL)
            i = end + 1
        elif c == '"':
            i = _double_quoted(line, i + 1, word)
        else:
            start = i
            while i < n and line[i] not in _WORD_END and line[i] not in "\\'\"":
                if line[i] == "$" and line.startswith("${", i):
                    close = line.find("}", i)
                    i = close + 1 if close > 0 else n  # `${a b}` stays one piece
                elif line.startswith("$(", i) or line[i] == "`":
                    i = substitution_end(line, i)  # `$(ls -a)` is one piece, spaces and all
                else:
                    i += 1
            word.add(line[start:i], BARE)
    flush()
    return tokens


def _double_quoted(line: str, i: int, word: _WordBuilder) -> int:
    """Read up to the closing quote; return the index after it."""
    chunk: list[str] = []

    def push() -> None:
        if chunk:
            word.add("".join(chunk), DOUBLE)
            chunk.clear()

    word.add("", DOUBLE)  # `""` is an empty word, not no word
    while i < len(line):
        c = line[i]
        if c == '"':
            push()
            return i + 1
        if line.startswith("$(", i) or c == "`":
            end = substitution_end(line, i)
            chunk.append(line[i:end])
            i = end
            continue
        if c == "\\" and i + 1 < len(line) and line[i + 1] in _DOUBLE_ESCAPABLE:
            push()  # an escaped `$` must stay a dollar through expansion: LITERAL
            word.add(line[i + 1], LITERAL)
            i += 2
            continue
        chunk.append(c)
        i += 1
    raise ShellSyntaxError("unexpected end of line while looking for matching '\"'")


def substitution_end(text: str, i: int) -> int:
    """`text[i:]` opens a command substitution, `$(...)` or `...`; the index after it.
    Quotes and nested parentheses inside are skipped over, so `$(echo ")")` is whole."""
    if text[i] == "`":
        j = i + 1
        while j < len(text):
            if text[j] == "`":
                return j + 1
            j += 2 if text[j] == "\\" else 1
        raise ShellSyntaxError("unexpected end of line while looking for matching '`'")
    depth, j = 0, i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c in "'\"":
            close = text.find(c, j + 1)
            if close < 0:
                break
            j = close + 1
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0:
            return j + 1
        j += 1
    raise ShellSyntaxError("unexpected end of line while looking for matching ')'")


def substitutions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each command substitution in a bare or double-quoted piece."""
    found, i = [], 0
    while i < len(text):
        if text.startswith("$(", i) or text[i] == "`":
            end = substitution_end(text, i)
            found.append((i, end))
            i = end
        else:
            i += 1
    return found


def unexpected(token: Token | None) -> ShellSyntaxError:
    """The error for a token found where it cannot stand (None: the end of the line)."""
    if token is None:
        return _near("newline")
    return _near(token.value if isinstance(token, Op) else token.text)
