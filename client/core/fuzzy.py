"""Fuzzy matching of a typed query against project paths, as in VS Code's quick open.

A query matches a path when its characters appear in order, ignoring case. Among the
matches, the file name beats the folders: a query that is a prefix of the file name ranks
first, then one found in the file name, then one spread over the whole path. Inside a
tier the best alignment wins (contiguous runs, starts of words after `/ . - _` or a
camelCase hump), and on ties the shorter path. A query with spaces matches each part.

Speed matters: this runs on every keystroke over up to tens of thousands of paths on the
page's main thread (Pyodide). So the test of every path is one regex call driven from C
(map/compress), and the Python-level scoring runs only on the paths that can still reach
the top of the list, tier by tier; typing one more character narrows the last answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress

# Tiers, best last (VS Code: the label's prefix, the label, then the whole path). Each is
# found by a regex over all names, in C; a path belongs to the best tier it reaches.
PATH, NAME, NAME_SUBSTRING, NAME_WORD, NAME_PREFIX, NAME_EXACT = range(6)
TIER = 1_000_000  # larger than any score inside a tier, so tiers never mix
# Scoring in Python costs ~20-80 us per path under Pyodide, so a tier scores at most this
# many of its members (the shortest paths first). A tier that large already fills the
# list, and inside a tier the score differences are small.
SCORED_PER_TIER = 300

CONTIGUOUS = 6  # the next character right after the previous one
SEGMENT_START = 8  # start of the path or after "/"
WORD_START = 6  # after . - _ space, or a camelCase hump
IN_NAME = 2  # a character matched inside the file name (path tier only)
SAME_CASE = 1
GAP = 1  # a jump between matched characters

_SEPARATORS = ".-_ "


@dataclass(frozen=True)
class Match:
    path: str
    score: int
    positions: tuple[int, ...]  # indexes into path of the matched characters, ascending


def fold(text: str) -> str:
    """Lower case, keeping every character at its index (a few characters lower-case to
    two, e.g. 'İ', which would shift the highlighted positions)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _subsequence(part: str) -> str:
    """A regex (for .search) finding these characters in this order on one line. It starts
    with a literal, which the engine scans for quickly, and each gap excludes the
    character that follows it, so the engine never backtracks."""
    pieces = [re.escape(part[0])]
    for char in part[1:]:
        escaped = re.escape(char)
        pieces.append(f"[^{escaped}\\n]*{escaped}")
    return "".join(pieces)


def _word_start(raw: str) -> str:
    """A regex (for .search on file names as written) finding `raw` as is, ignoring case,
    where a word starts: at the start, after . - _ or a space, or at a camelCase
    hump (an upper-case letter after a lower-case one)."""
    literal = re.escape(raw)
    return f"(?:^|(?<=[._\\- ])|(?<=[a-z])(?=[A-Z]))(?i:{literal})"


def _bonus(path: str, position: int) -> int:
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


def align(part: str, text: str, low: str, offset: int = 0,
          name_start: int | None = None) -> tuple[int, tuple[int, ...]] | None:  # fmt: skip
    """The best-scoring placement of `part` (already folded) inside `text[offset:]`, or
    None. A small dynamic programme over the places where each character occurs: for
    each occurrence of character i, the best score of characters 0..i ending there."""
    occurrences: list[list[int]] = []
    start = offset
    for char in part:
        found = []
        at = low.find(char, start)
        while at != -1:
            found.append(at)
            at = low.find(char, at + 1)
        if not found:
            return None
        occurrences.append(found)
        start = found[0] + 1
    previous: list[tuple[int, int, int]] = []  # (position, score, index of predecessor)
    table: list[list[tuple[int, int, int]]] = []
    for i, positions in enumerate(occurrences):
        row: list[tuple[int, int, int]] = []
        for position in positions:
            gain = 1 + _bonus(text, position)
            if name_start is not None and position >= name_start:
                gain += IN_NAME
            if i == 0:
                row.append((position, gain, -1))
                continue
            best, best_from = None, -1
            for k, (before, score, _) in enumerate(previous):
                if before >= position:
                    break
                total = score + (CONTIGUOUS if before == position - 1 else -GAP)
                if best is None or total > best:
                    best, best_from = total, k
            if best is not None:
                row.append((position, best + gain, best_from))
        if not row:
            return None
        table.append(row)
        previous = row
    end = max(range(len(previous)), key=lambda k: previous[k][1])
    score = previous[end][1]
    positions_out = []
    for row in reversed(table):
        position, _, back = row[end]
        positions_out.append(position)
        end = back
    return score, tuple(reversed(positions_out))


class PathIndex:
    """All paths of a project, prepared once per change of the file list."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = sorted(set(paths), key=lambda p: (len(p), p))  # ties: shorter first
        self.low = [fold(p) for p in self.paths]
        self.name_at = [p.rfind("/") + 1 for p in self.paths]
        self.names = [low[at:] for low, at in zip(self.low, self.name_at, strict=True)]
        self.raw_names = [p[at:] for p, at in zip(self.paths, self.name_at, strict=True)]
        # The name up to its first dot, and the whole name: typing either exactly wins.
        self.stems = [name.split(".", 1)[0] for name in self.names]
        self._all = range(len(self.paths))
        self._last: tuple[str, list[int]] = ("", list(self._all))

    def __len__(self) -> int:
        return len(self.paths)

    def _filter(self, pattern: str, lines: Sequence[int], texts: list[str] | None = None,
                anchored: bool = False) -> list[int]:  # fmt: skip
        """The lines whose path (or the given texts: names) the pattern finds. map and
        compress keep the loop in C: about 2 ms per 20,000 paths under CPython, 7 under
        Pyodide."""
        test = re.compile(pattern).match if anchored else re.compile(pattern).search
        texts = self.low if texts is None else texts
        if lines is self._all:
            return list(compress(lines, map(test, texts)))
        return list(compress(lines, map(test, map(texts.__getitem__, lines))))

    def _candidates(self, part: str) -> list[int]:
        """Lines holding the part as a subsequence. Typing one more character narrows
        the previous answer instead of scanning everything again."""
        previous, lines = self._last
        if not (previous and part.startswith(previous)):
            lines = self._all  # type: ignore[assignment]
        found = self._filter(_subsequence(part), lines)
        self._last = (part, found)
        return found

    def search(self, query: str, limit: int = 100, recent: Sequence[str] = ()) -> list[Match]:
        """The best `limit` matches, best first; the recently opened files win ties. An
        empty query lists the recent files first (most recent first), then the rest,
        shortest paths first."""
        raw_parts = query.split()
        parts = [fold(p) for p in raw_parts]
        if not parts:
            return self._empty(limit, recent)
        if len(parts) > 1:
            return self._multi(raw_parts, parts, limit, recent)
        part, raw = parts[0], raw_parts[0]
        lines = self._candidates(part)
        found: list[tuple[int, int, tuple[int, ...]]] = []  # (score, line, positions)
        seen: set[int] = set()
        literal = re.escape(part)
        cap = max(SCORED_PER_TIER, limit)
        # Tier by tier, best first; each is a subset of the next, so stop once enough.
        for tier, pattern, anchored, names in (
            (NAME_EXACT, f"{literal}(?:\\.[^/]*)?$", True, self.names),
            (NAME_PREFIX, literal, True, self.names),
            (NAME_WORD, _word_start(raw), False, self.raw_names),
            (NAME_SUBSTRING, literal, False, self.names),
            (NAME, _subsequence(part), False, self.names),
            (PATH, "", True, self.names),
        ):  # fmt: skip
            if len(found) >= limit:
                break  # every lower tier scores below what is already enough
            scored = 0
            for line in self._filter(pattern, lines, names, anchored):
                if line in seen:
                    continue
                seen.add(line)
                result = self._score(line, raw, part, tier)
                if result is not None:
                    found.append((result[0], line, result[1]))
                scored += 1
                if scored >= cap:
                    break
        return self._best(found, limit, recent)

    def _best(self, found: list[tuple[int, int, tuple[int, ...]]], limit: int,
              recent: Sequence[str]) -> list[Match]:  # fmt: skip
        rank = {path: i for i, path in enumerate(recent)}
        paths, last = self.paths, len(rank)
        found.sort(key=lambda item: (-item[0], rank.get(paths[item[1]], last), item[1]))
        return [Match(paths[line], score, positions) for score, line, positions in found[:limit]]

    def _score(self, line: int, raw: str, part: str,
               tier: int) -> tuple[int, tuple[int, ...]] | None:  # fmt: skip
        path, low, name_at = self.paths[line], self.low[line], self.name_at[line]
        if tier >= NAME_PREFIX:
            size = len(part)
            aligned = (_run(path, name_at, size), tuple(range(name_at, name_at + size)))
        elif tier >= NAME_SUBSTRING:
            # Found as is in the file name: the contiguous run at the best word start
            # (cheap, and what a person means by typing part of a name).
            aligned = _contiguous(part, path, low, name_at)
        elif tier == NAME:
            aligned = align(part, path, low, name_at)
        else:
            aligned = _contiguous(part, path, low, 0, name_at) or align(part, path, low, 0,
                                                                         name_at)  # fmt: skip
        if aligned is None:
            return None
        score, positions = aligned
        for position, char in zip(positions, raw, strict=True):
            if path[position] == char:
                score += SAME_CASE
        return tier * TIER + score, positions

    def _multi(self, raw_parts: list[str], parts: list[str], limit: int,
               recent: Sequence[str]) -> list[Match]:  # fmt: skip
        """Each part must match; each is scored on its own over the whole path (file-name
        characters count more) and the total ranks. Positions are the union."""
        lines: Sequence[int] = self._all
        for part in sorted(parts, key=len, reverse=True):  # the longest narrows most
            lines = self._filter(_subsequence(part), lines)
        found: list[tuple[int, int, tuple[int, ...]]] = []
        # Paths whose file name holds every part come first, then the rest; each group
        # scores at most SCORED_PER_TIER (see there).
        in_name = lines
        for part in parts:
            in_name = self._filter(_subsequence(part), in_name, self.names)
        cap = max(SCORED_PER_TIER, limit)
        first = set(in_name)
        ordered = in_name[:cap] + [line for line in lines if line not in first][:cap]
        for line in ordered:
            total, marks = (TIER if line in first else 0), set()
            for raw, part in zip(raw_parts, parts, strict=True):
                scored = self._score(line, raw, part, PATH)
                if scored is None:
                    break
                total += scored[0]
                marks.update(scored[1])
            else:
                found.append((total, line, tuple(sorted(marks))))
        return self._best(found, limit, recent)

    def _empty(self, limit: int, recent: Sequence[str]) -> list[Match]:
        known = set(self.paths)
        first = [p for p in dict.fromkeys(recent) if p in known][:limit]
        shown = set(first)
        rest = (p for p in self.paths if p not in shown)
        ordered = first + [p for _, p in zip(range(limit - len(first)), rest, strict=False)]
        return [Match(p, 0, ()) for p in ordered]


def _contiguous(part: str, text: str, low: str, offset: int,
                name_start: int | None = None) -> tuple[int, tuple[int, ...]] | None:  # fmt: skip
    """The best occurrence of `part` as is in `low[offset:]`, scored as `align` would
    score that placement, or None. Much cheaper than the full alignment."""
    size = len(part)
    best, best_at = -1, -1
    at = low.find(part, offset)
    while at != -1:
        score = _run(text, at, size, name_start)
        if score > best:
            best, best_at = score, at
        at = low.find(part, at + 1)
    if best_at == -1:
        return None
    return best, tuple(range(best_at, best_at + size))


def _run(text: str, at: int, size: int, name_start: int | None = None) -> int:
    """The score of `size` characters matched one after the other from `at`."""
    score = size + (size - 1) * CONTIGUOUS
    for position in range(at, at + size):
        score += _bonus(text, position)
        if name_start is not None and position >= name_start:
            score += IN_NAME
    return score


def split_location(query: str) -> tuple[str, int | None, int | None]:
    """'App.jsx:12' -> ('App.jsx', 12, None); 'App.jsx:12:5' -> ('App.jsx', 12, 5). A
    trailing ':' while typing is dropped; anything else stays part of the query."""
    text = query.strip()
    found = re.fullmatch(r"(.*?)(?::(\d*))(?::(\d*))?", text)
    if found is None or not found.group(1):
        return text, None, None
    line = int(found.group(2)) if found.group(2) else None
    column = int(found.group(3)) if found.group(3) else None
    return found.group(1).rstrip(), line, column


def segments(text: str, positions: Iterable[int]) -> list[tuple[str, bool]]:
    """Text cut into runs of (characters, highlighted?), for rendering spans."""
    marked = set(positions)
    out: list[tuple[str, bool]] = []
    for i, char in enumerate(text):
        hit = i in marked
        if out and out[-1][1] == hit:
            out[-1] = (out[-1][0] + char, hit)
        else:
            out.append((char, hit))
    return out
