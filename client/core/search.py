"""Search across the project's text files: plain text or a regular expression, with case
and whole-word toggles and include/exclude globs, results grouped by file.

A search over a large project must not freeze the page (Python runs on its main thread),
so it works in slices: `Search.step(budget)` scans files until about `budget` characters
have been read and returns; the view calls it again on the next turn of the event loop,
and simply drops a search that a newer query made stale. Each file is scanned by one
`finditer` over its whole text (the regex engine in C), never line by line in Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

MAX_RESULTS = 2000  # matches; past this the search stops and says so
PREVIEW_CHARS = 250  # a line longer than this is shown as a window around its match
PREVIEW_BEFORE = 40  # characters kept before the match in such a window
SLICE_CHARS = 200_000  # default budget of one step: a few ms of scanning, even in Pyodide
MATCH_COST = 500  # a match costs about as much as scanning this many characters


class TextFile(Protocol):
    # Read-only: the model's files are frozen dataclasses.
    @property
    def binary(self) -> bool: ...
    @property
    def content(self) -> bytes: ...


class SearchError(ValueError):
    """The query cannot run; str(error) says why, for the person who typed it."""


@dataclass(frozen=True)
class Options:
    query: str
    regex: bool = False
    case_sensitive: bool = False
    whole_word: bool = False
    include: str = ""  # comma-separated globs, e.g. "src/**, *.py"
    exclude: str = ""
    max_results: int = MAX_RESULTS


@dataclass(frozen=True)
class Hit:
    """One line with at least one match. `line` and `column` count from 1 (the first
    match's column, as the editor counts it); `preview` is the line (or a window of it)
    and `spans` are (start, end) offsets of the matches inside `preview`."""

    line: int
    column: int
    preview: str
    spans: tuple[tuple[int, int], ...]


@dataclass
class FileHits:
    path: str
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(hit.spans) for hit in self.hits)


def compile_query(options: Options) -> re.Pattern[str]:
    """The pattern for these options, or SearchError with a readable reason."""
    if options.query == "":
        raise SearchError("Type something to search for.")
    source = options.query if options.regex else re.escape(options.query)
    if options.whole_word:
        # Not \b: that fails next to a non-word character ("foo(" or ".x" as a query).
        source = rf"(?<!\w)(?:{source})(?!\w)"
    flags = re.MULTILINE | (0 if options.case_sensitive else re.IGNORECASE)
    try:
        return re.compile(source, flags)
    except re.error as error:
        where = f" at position {error.pos + 1}" if error.pos is not None else ""
        raise SearchError(f"Invalid regular expression: {error.msg}{where}") from None
    except (OverflowError, RecursionError, ValueError) as error:
        raise SearchError(f"Invalid regular expression: {error}") from None


def glob_regex(pattern: str) -> str:
    """One glob as a regex over project paths, as VS Code reads them: `*` stays inside a
    folder name, `**` crosses folders, `?` is one character, `{a,b}` either, `[...]` a
    class. Without a `/` the glob may match at any depth (`*.test.js`, `node_modules`),
    and a glob that names a folder covers everything inside it (`src`, `src/**`)."""
    glob = pattern.strip().removeprefix("./").strip("/")
    out, i, depth = [], 0, 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{":
            out.append("(?:")
            depth += 1
        elif char == "}" and depth:
            out.append(")")
            depth -= 1
        elif char == "," and depth:
            out.append("|")
        elif char == "[" and "]" in glob[i + 2 :]:
            end = glob.index("]", i + 2)
            body = glob[i + 1 : end]
            negate = body.startswith("!")
            inner = re.escape(body[1:] if negate else body).replace("\\-", "-")
            out.append(f"[{'^' if negate else ''}{inner}]")
            i = end + 1
            continue
        else:
            out.append(re.escape(char))
        i += 1
    out.append(")" * depth)
    anywhere = "" if "/" in glob else "(?:.*/)?"
    return f"{anywhere}{''.join(out)}(?:/.*)?"


def path_filter(include: str, exclude: str) -> Callable[[str], bool]:
    """A test for paths from the comma-separated include and exclude globs. An empty
    include keeps everything; exclude always wins."""

    def compiled(globs: str) -> re.Pattern[str] | None:
        parts = [glob_regex(g) for g in _split_globs(globs) if g.strip()]
        return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE) if parts else None

    try:
        keep, drop = compiled(include), compiled(exclude)
    except re.error as error:
        raise SearchError(f"Invalid file pattern: {error.msg}") from None

    def test(path: str) -> bool:
        if keep is not None and keep.fullmatch(path) is None:
            return False
        return drop is None or drop.fullmatch(path) is None

    return test


def _split_globs(text: str) -> list[str]:
    """Commas separate globs, except inside {a,b}."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth += char == "{"
        depth -= char == "}" and depth > 0
        current.append(char)
    parts.append("".join(current))
    return parts


def preview(line: str, spans: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The line as shown in the results: indentation dropped, and a window around the
    first match when the line is long ("…" marks a cut). Spans move with the text."""
    first = spans[0][0]
    start = min(len(line) - len(line.lstrip()), first)
    end = len(line)
    cut_before = False
    if end - start > PREVIEW_CHARS:
        cut_before = first - PREVIEW_BEFORE > start
        start = max(start, first - PREVIEW_BEFORE)
        end = start + PREVIEW_CHARS
    prefix = "…" if cut_before else ""
    suffix = "…" if end < len(line) else ""
    shift = len(prefix) - start
    moved = tuple(
        (max(a, start) + shift, min(b, end) + shift) for a, b in spans if b > start and a < end
    )
    return prefix + line[start:end] + suffix, moved


def editor_column(line: str, index: int) -> int:
    """The 1-based column an editor shows for line[index]: editors count UTF-16 units, so
    a character outside the Basic Multilingual Plane (most emoji) counts two."""
    return index + 1 + sum(1 for char in line[:index] if ord(char) > 0xFFFF)


class Search:
    """One search over a snapshot of the project's paths; `step()` until `done`."""

    def __init__(
        self,
        files: Mapping[str, TextFile],
        options: Options,
        ignored: Callable[[str], bool] = lambda _p: False,
    ) -> None:
        self.options = options
        self.results: list[FileHits] = []
        self.matches = 0
        self.files_searched = 0
        self.capped = False
        self.error: str | None = None
        self._files = files
        self._ignored = ignored
        try:
            self._pattern = compile_query(options)
            self._wanted = path_filter(options.include, options.exclude)
        except SearchError as error:
            self.error = str(error)
            self._queue: list[str] = []
            return
        # The regex engine has no fast scan for a case-insensitive pattern (~30x slower
        # than a case-sensitive one), so plain ASCII text is first looked for in the
        # lower-cased file, and only files that hold it are scanned with the pattern.
        plain = not options.regex and not options.case_sensitive and options.query.isascii()
        self._needle = options.query.lower() if plain else None
        # Reversed, so that pop() hands out paths in order (as the file tree lists them).
        # The filters run as the paths come up, in step(): on a large project, testing
        # every path here would be one long task before the first result.
        self._queue = sorted(files, key=str.casefold, reverse=True)

    @property
    def done(self) -> bool:
        return not self._queue

    def step(self, budget: int = SLICE_CHARS) -> bool:
        """Scan files until about `budget` characters were read (always at least one
        file). Returns True when the search is finished."""
        spent = 0
        while self._queue and spent < budget:
            path = self._queue.pop()
            spent += 100  # even a path that is skipped costs a little
            if not self._wanted(path) or self._ignored(path):
                continue
            local = self._files.get(path)  # the project may have changed since the start
            if local is None or local.binary:
                continue
            text = local.content.decode("utf-8", errors="replace")
            before = self.matches
            self.files_searched += 1
            if self._needle is not None and text.isascii() and self._needle not in text.lower():
                spent += len(text) // 4 + 200  # lower() and find() run at memory speed
                continue
            found = self._scan(path, text)
            # Reading costs per character, but each match costs Python work too, and so
            # does opening a file: all three count against the slice.
            spent += len(text) + 200 + (self.matches - before) * MATCH_COST
            if found.hits:
                self.results.append(found)
            if self.matches >= self.options.max_results:
                self.capped = bool(self._queue) or self.capped
                self._queue.clear()
        return self.done

    def run(self) -> Search:
        """All at once (tests, small projects)."""
        while not self.step():
            pass
        return self

    def _scan(self, path: str, text: str) -> FileHits:
        found = FileHits(path)
        line_no, line_start, scanned = 1, 0, 0
        current: list[tuple[int, int]] = []
        current_line = (0, 0, 0)  # (number, start, end)
        for match in self._pattern.finditer(text):
            start, end = match.span()
            if start == end:
                continue  # an empty match ("^", "a*") marks nothing worth listing
            if self.matches >= self.options.max_results:
                self.capped = True
                break
            line_no += text.count("\n", scanned, start)
            line_start = text.rfind("\n", 0, start) + 1
            scanned = start
            if current and current_line[0] != line_no:
                found.hits.append(self._hit(text, current_line, current))
                current = []
            if not current:
                line_end = text.find("\n", start)
                current_line = (line_no, line_start, len(text) if line_end == -1 else line_end)
            self.matches += 1
            # A match that runs past the end of its line is shown up to that end.
            current.append((start - line_start, min(end, current_line[2]) - line_start))
        if current:
            found.hits.append(self._hit(text, current_line, current))
        return found

    @staticmethod
    def _hit(text: str, where: tuple[int, int, int], spans: list[tuple[int, int]]) -> Hit:
        number, start, end = where
        line = text[start:end].rstrip("\r")
        shown, moved = preview(line, spans)
        return Hit(number, editor_column(line, spans[0][0]), shown, moved)


def summary(search: Search) -> str:
    """'12 results in 3 files', with the cap or the error when there is one."""
    if search.error:
        return search.error
    if not search.matches:
        return "No results." if search.done else "Searching…"
    files = len(search.results)
    text = (
        f"{search.matches} result{'s' if search.matches != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''}"
    )
    if search.capped:
        text += f" (stopped at {search.options.max_results}: refine the search)"
    elif not search.done:
        text += " so far…"
    return text
