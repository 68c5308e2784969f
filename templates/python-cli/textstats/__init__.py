"""Pure text helpers used by main.py."""

from .counting import TextStats, count_chars, count_lines, count_words, greeting, text_stats

__all__ = [
    "TextStats",
    "count_chars",
    "count_lines",
    "count_words",
    "greeting",
    "text_stats",
]
