"""Scoring one placement of a fuzzy query in a path: which characters match where, and
how good that is. Contiguous runs, starts of words (after `/ . - _` or a camelCase hump)
and the first character's place count most; a gap costs. client/core/fuzzy.py decides
which paths to score; this module only scores.
"""

from __future__ import annotations

CONTIGUOUS = 6  # the next character right after the previous one
SEGMENT_START = 8  # start of the path or after "/"
WORD_START = 6  # after . - _ space, or a camelCase hump
IN_NAME = 2  # a character matched inside the file name (path tier only)
SAME_CASE = 1
GAP = 2  # a jump between matched characters
# Where the match begins matters most (fzf does the same): the first character's bonus
# counts this many times, so "btn" prefers Button.js to libTests.json.
FIRST = 2

_SEPARATORS = ".-_ "


def fold(text: str) -> str:
    """Lower case, keeping every character at its index (a few characters lower-case to
    two, e.g. 'İ', which would shift the highlighted positions)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def bonus(path: str, position: int) -> int:
    """What matching the character at `position` is worth beyond itself: a segment or
    word start earns a bonus, the middle of a word none."""
    if position == 0:
        return SEGMENT_START
    before = path[position - 1]
    if before == "/":
        return SEGMENT_START
    if before in _SEPARATORS:
        return WORD_START
    char = path[position]
    if char.isupper() and before.islower():
        return WORD_START
    if char.isdigit() and not before.isdigit():
        return WORD_START
    return 0


def align(
    part: str, text: str, low: str, offset: int = 0, name_start: int | None = None
) -> tuple[int, tuple[int, ...]] | None:
    """The best-scoring placement of `part` (already folded) inside `text[offset:]`, or
    None. A dynamic programme over the places where each character occurs: for each
    occurrence of character i, the best score of characters 0..i ending there. The
    predecessor is either the occurrence just before (a contiguous run) or the best one
    further left (a gap), so one pass over each pair of rows suffices."""
    rows: list[tuple[list[int], list[int], list[int]]] = []  # (positions, scores, back)
    start = offset
    for i, char in enumerate(part):
        positions = []
        at = low.find(char, start)
        while at != -1:
            positions.append(at)
            at = low.find(char, at + 1)
        if not positions:
            return None
        scores, back = [], []
        if i:
            before, before_scores = rows[-1][0], rows[-1][1]
            k, best, best_k, count = 0, 0, -1, len(before)
            kept = []
            for position in positions:
                while k < count and before[k] < position:
                    if best_k < 0 or before_scores[k] > best:
                        best, best_k = before_scores[k], k
                    k += 1
                if best_k < 0:
                    continue  # no earlier character to follow
                total, source = best - GAP, best_k
                if before[k - 1] == position - 1 and before_scores[k - 1] + CONTIGUOUS > total:
                    total, source = before_scores[k - 1] + CONTIGUOUS, k - 1
                kept.append(position)
                scores.append(total)
                back.append(source)
            positions = kept
            if not positions:
                return None
        else:
            scores = [0] * len(positions)
            back = [-1] * len(positions)
        for j, position in enumerate(positions):
            scores[j] += 1 + bonus(text, position) * (FIRST if i == 0 else 1)
            if name_start is not None and position >= name_start:
                scores[j] += IN_NAME
        rows.append((positions, scores, back))
        start = positions[0] + 1
    last = rows[-1][1]
    end = max(range(len(last)), key=last.__getitem__)
    score = last[end]
    picked = []
    for positions, _scores, back in reversed(rows):
        picked.append(positions[end])
        end = back[end]
    return score, tuple(reversed(picked))


def contiguous(
    part: str, text: str, low: str, offset: int, name_start: int | None = None
) -> tuple[int, tuple[int, ...]] | None:
    """The best occurrence of `part` as is in `low[offset:]`, scored as `align` would
    score that placement, or None. Much cheaper than the full alignment."""
    size = len(part)
    best, best_at = -1, -1
    at = low.find(part, offset)
    while at != -1:
        score = run_score(text, at, size, name_start)
        if score > best:
            best, best_at = score, at
        at = low.find(part, at + 1)
    if best_at == -1:
        return None
    return best, tuple(range(best_at, best_at + size))


def run_score(text: str, at: int, size: int, name_start: int | None = None) -> int:
    """The score of `size` characters matched one after the other from `at`."""
    score = size + (size - 1) * CONTIGUOUS + bonus(text, at) * (FIRST - 1)
    for position in range(at, at + size):
        score += bonus(text, position)
        if name_start is not None and position >= name_start:
            score += IN_NAME
    return score
