"""Pure functions: no I/O, so they are easy to test."""

from typing import NamedTuple


class TextStats(NamedTuple):
    lines: int
    words: int
    chars: int


def greeting(name: str, shout: bool = False) -> str:
    """Return a friendly greeting for ``name``; upper-cased if ``shout``."""
    message = f"Hello, {name}!"
    return message.upper() if shout else message


def count_lines(text: str) -> int:
    """Number of lines; a trailing newline does not start a new line."""
    return len(text.splitlines())


def count_words(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def count_chars(text: str) -> int:
    """Number of characters (not bytes), including whitespace."""
    return len(text)


def text_stats(text: str) -> TextStats:
    """Line, word and character counts of ``text``."""
    return TextStats(count_lines(text), count_words(text), count_chars(text))
