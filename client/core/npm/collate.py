"""String order as npm sorts names and paths (`localeCompare(x, "en")`, ICU's root
collation): punctuation before digits before letters, `_` before `-`, letters compared
case-blind first and lowercase first on a tie. npm's placement order, its lockfile key
order and `npm ls` all follow it, so our trees and files come out in the same order."""

from __future__ import annotations

__all__ = ["collation_key"]

_ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"
_PRIMARY = {ch: i for i, ch in enumerate(_ORDER)}


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A sort key: primary weights per character, then case (lowercase first)."""
    primary = tuple(_PRIMARY.get(ch.lower(), 1000 + ord(ch.lower())) for ch in text)
    tertiary = tuple(1 if ch.isupper() else 0 for ch in text)
    return primary, tertiary
