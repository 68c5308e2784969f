"""Fuzzy matching of a typed query against project paths, as in VS Code's quick open.

A query matches a path when its characters appear in order, ignoring case. Among the
matches, the file name beats the folders: a query that is a prefix of the file name ranks
first, then one found in the file name, then one spread over the whole path. Inside a
tier the best alignment wins (contiguous runs, starts of words after `/ . - _` or a
camelCase hump), and on ties the shorter path. A query with spaces matches each part.

Speed matters: this runs on every keystroke over up to tens of thousands of paths on the
page's main thread, under Pyodide, where Python code runs several times slower than
CPython. So each tier is found by one regex scan in C over all the paths (or names)
joined into one string, read lazily, and the Python-level scoring runs only on as many
paths as can still reach the top of the list: the cost follows the list shown, not the
size of the project.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from operator import methodcaller

from client.core.fuzzy_score import SAME_CASE, align, contiguous, fold, run_score

# Tiers, best last (VS Code: the label's prefix, the label, then the whole path). Each is
# found by a regex over all paths or names, in C; a path belongs to the best tier it reaches.
PATH, PATH_SUBSTRING, NAME, NAME_SUBSTRING, NAME_WORD, NAME_PREFIX, NAME_EXACT = range(7)
TIER = 1_000_000  # larger than any score inside a tier, so tiers never mix
# Scoring in Python is slow under Pyodide (~20 us per path for a run found as is, up to
# ~200 us for a full alignment), so a tier scores at most this many of its members: the
# shortest first (file names for the name tiers). A tier that large fills the list anyway.
SCORED_PER_TIER = 300
ALIGNED_PER_TIER = 80


@dataclass(frozen=True)
class Match:
    path: str
    score: int
    positions: tuple[int, ...]  # indexes into path of the matched characters, ascending


def _subsequence(part: str) -> str:
    """A regex (for .search) finding these characters in this order on one line. It starts
    with a literal, which the engine scans for quickly, and each gap excludes the
    character that follows it, so the engine never backtracks."""
    pieces = [re.escape(part[0])]
    for char in part[1:]:
        escaped = re.escape(char)
        pieces.append(f"[^{escaped}\\n]*{escaped}")
    return "".join(pieces)


class _Blob:
    """Lines joined into one string between newlines, so that a single regex scan in C
    walks them all; a match maps back to its line by bisection. Scans are lazy: a caller
    that needs 100 lines stops the scan there, however many more would match."""

    def __init__(self, lines: list[str], order: list[int] | None = None) -> None:
        self.text = "\n" + "\n".join(lines) + "\n"
        # Where each line starts: 1, then each line's length and its newline added on.
        self.starts = list(accumulate(map((1).__add__, map(len, lines[:-1])), initial=1))
        self.order = order  # blob line -> index line, when the blob is sorted otherwise

    def scan(self, pattern: str, shift: int = 0) -> Iterator[int]:
        """Index lines where `pattern` matches, in blob order, each once. `shift` moves
        the match start into its line (a pattern that begins with the newline before)."""
        starts, order, last = self.starts, self.order, -1
        for found in re.finditer(pattern, self.text):
            line = bisect_right(starts, found.start() + shift) - 1
            if line != last:
                last = line
                yield line if order is None else order[line]


class PathIndex:
    """All paths of a project, prepared once per change of the file list."""

    def __init__(self, paths: Iterable[str]) -> None:
        # Built with map() over C functions, not Python loops: 20,000 paths must not cost
        # a noticeable pause when quick open first shows.
        self.paths = sorted(sorted(set(paths)), key=len)  # ties: shorter first
        self.low = list(map(str.lower, self.paths))
        if list(map(len, self.low)) != list(map(len, self.paths)):
            self.low = list(map(fold, self.paths))  # rare: keep every index in place
        self.name_at = list(map((1).__add__, map(methodcaller("rfind", "/"), self.paths)))
        cuts = list(map(slice, self.name_at, repeat(None)))
        self.names = list(map(str.__getitem__, self.low, cuts))
        raw_names = list(map(str.__getitem__, self.paths, cuts))
        self._all = range(len(self.paths))
        self._paths = _Blob(self.low)
        self._names = _Blob(self.names)
        self._raw_names = _Blob(raw_names)  # as written: camelCase humps
        by_length = sorted(self._all, key=list(map(len, self.names)).__getitem__)
        self._short_names = _Blob(list(map(self.names.__getitem__, by_length)), by_length)

    def __len__(self) -> int:
        return len(self.paths)

    def _filter(
        self,
        pattern: str,
        lines: Sequence[int],
        texts: list[str] | None = None,
        anchored: bool = False,
    ) -> list[int]:
        """The lines whose path (or the given texts: names) the pattern finds. map and
        compress keep the loop in C."""
        test = re.compile(pattern).match if anchored else re.compile(pattern).search
        texts = self.low if texts is None else texts
        if lines is self._all:
            return list(compress(lines, map(test, texts)))
        return list(compress(lines, map(test, map(texts.__getitem__, lines))))

    def _tiers(self, part: str, raw: str) -> Iterator[tuple[int, Iterator[int]]]:
        """Each tier with a lazy scan of its lines, best tier first. Every pattern starts
        with a literal, which the regex engine finds quickly; what must come before the
        literal is checked afterwards, by a look-behind."""
        literal = re.escape(part)
        spread = _subsequence(part)
        if "/" not in part:  # else no file name can hold it: straight to the path tiers
            yield from self._name_tiers(part, raw, literal, spread)
        yield PATH_SUBSTRING, self._paths.scan(literal)
        yield PATH, self._paths.scan(spread)

    def _name_tiers(
        self, part: str, raw: str, literal: str, spread: str
    ) -> Iterator[tuple[int, Iterator[int]]]:
        yield NAME_EXACT, self._names.scan(f"\n{literal}(?:\\.[^\n]*)?(?=\n)", shift=1)
        yield NAME_PREFIX, self._names.scan(f"\n{literal}", shift=1)
        after_separator = self._names.scan(f"{literal}(?<=[._\\- ]{literal})")
        hump: Iterator[int] = iter(())
        if raw[0].isalpha():  # an upper-case first letter right after a lower-case one
            first, rest = re.escape(raw[0].upper()), re.escape(part[1:])
            hump = self._raw_names.scan(f"{first}(?<=[a-z]{first})(?i:{rest})")
        yield NAME_WORD, _merge(after_separator, hump)
        yield NAME_SUBSTRING, self._names.scan(literal)
        yield NAME, self._short_names.scan(spread)  # shortest names first

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
        found: list[tuple[int, int, tuple[int, ...]]] = []  # (score, line, positions)
        seen: set[int] = set()
        # Tier by tier, best first: a path counts in the best tier it reaches, and once
        # the list is full no lower tier can enter it.
        for tier, lines in self._tiers(part, raw):
            if len(found) >= limit:
                break
            cap = max(ALIGNED_PER_TIER if tier in (NAME, PATH) else SCORED_PER_TIER, limit)
            scored = 0
            for line in lines:
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

    def _best(
        self, found: list[tuple[int, int, tuple[int, ...]]], limit: int, recent: Sequence[str]
    ) -> list[Match]:
        rank = {path: i for i, path in enumerate(recent)}
        paths, last = self.paths, len(rank)
        found.sort(key=lambda item: (-item[0], rank.get(paths[item[1]], last), item[1]))
        return [Match(paths[line], score, positions) for score, line, positions in found[:limit]]

    def _score(
        self, line: int, raw: str, part: str, tier: int
    ) -> tuple[int, tuple[int, ...]] | None:
        path, low, name_at = self.paths[line], self.low[line], self.name_at[line]
        aligned: tuple[int, tuple[int, ...]] | None
        if tier >= NAME_PREFIX:
            size = len(part)
            aligned = (run_score(path, name_at, size), tuple(range(name_at, name_at + size)))
        elif tier >= NAME_SUBSTRING:
            # Found as is in the file name: the contiguous run at the best word start
            # (cheap, and what a person means by typing part of a name).
            aligned = contiguous(part, path, low, name_at)
        elif tier == NAME:
            aligned = align(part, path, low, name_at)
        elif tier == PATH_SUBSTRING:
            aligned = contiguous(part, path, low, 0, name_at)
        else:
            aligned = align(part, path, low, 0, name_at)
        if aligned is None:
            return None
        score, positions = aligned
        for position, char in zip(positions, raw, strict=True):
            if path[position] == char:
                score += SAME_CASE
        return tier * TIER + score, positions

    def _multi(
        self, raw_parts: list[str], parts: list[str], limit: int, recent: Sequence[str]
    ) -> list[Match]:
        """Each part must match; each is scored on its own over the whole path (file-name
        characters count more) and the total ranks. Positions are the union."""
        lines: Sequence[int] = self._all
        for part in sorted(parts, key=len, reverse=True):  # the longest narrows most
            lines = self._filter(_subsequence(part), lines)
        found: list[tuple[int, int, tuple[int, ...]]] = []
        # Paths whose file name holds every part come first, then the rest; each group
        # scores at most ALIGNED_PER_TIER (see there).
        in_name = lines
        for part in parts:
            in_name = self._filter(_subsequence(part), in_name, self.names)
        cap = max(ALIGNED_PER_TIER, limit)
        first = set(in_name)
        ordered = list(in_name[:cap]) + [line for line in lines if line not in first][:cap]
        for line in ordered:
            total = TIER if line in first else 0
            marks: set[int] = set()
            for raw, part in zip(raw_parts, parts, strict=True):
                # A part found as is (anywhere) is scored as that run, else aligned.
                scored = self._score(line, raw, part, PATH_SUBSTRING)
                if scored is not None:
                    scored = (scored[0] - PATH_SUBSTRING * TIER, scored[1])
                else:
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


def _merge(*scans: Iterator[int]) -> Iterator[int]:
    """Several lazy scans as one, in line order, without repeats."""
    last = -1
    for line in heapq.merge(*scans):
        if line != last:
            last = line
            yield line


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
