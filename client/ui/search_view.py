"""Search in files (Ctrl+Shift+F): a sidebar view with the query, toggles for case, whole
word and regular expression, include/exclude globs, and the results grouped by file.
Clicking a line opens the file there.

Typing starts a search after a short pause; it runs in slices with a yield to the event
loop between them (client.core.search does the scanning), so the page stays responsive
on a large project, and a newer query cancels the one still running. Results are drawn
as they come, a bounded number of rows per turn, all as text (file names and lines are
never parsed as HTML).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, Protocol

from client.core.search import FileHits, Hit, Options, Search, summary
from client.core.tasks import spawn
from client.ffi import dom, modules
from client.ffi.events import Listeners
from client.ui.layout_view import LayoutView
from client.ui.ports import Opening, ProjectFiles

DEBOUNCE = 0.25  # seconds of quiet typing before a search starts
REFRESH_DEBOUNCE = 0.8  # files changed: search again once they settle
TURN = 0.008  # seconds of work per turn of the event loop (scanning, then drawing)

TOGGLES = (  # (option, button text, tooltip)
    ("case_sensitive", "Aa", "Match case"),
    ("whole_word", "ab|", "Match whole word"),
    ("regex", ".*", "Use regular expression"),
)


class SearchBench(ProjectFiles, Opening, Protocol):
    """What search in files asks of the workbench."""

    layout: LayoutView


class SearchView:
    def __init__(self, host: Any, bench: SearchBench) -> None:
        modules.use_styles("search")
        self.bench = bench
        self.listeners = Listeners()
        self.flags = {name: False for name, _text, _title in TOGGLES}
        self.node = dom.element("div", id="search-view", class_="search-view")
        self.query = dom.element(
            "input",
            type="search",
            class_="search-query",
            placeholder="Search",
            aria_label="Search",
            spellcheck="false",
            autocomplete="off",
        )
        row = dom.element("div", class_="search-row")
        row.append(self.query)
        self.toggles: dict[str, Any] = {}
        for name, text, title in TOGGLES:
            button = dom.element(
                "button",
                text,
                type="button",
                class_="search-toggle",
                title=title,
                aria_label=title,
                aria_pressed="false",
                data_option=name,
            )

            def toggled(_e: Any, n: str = name) -> None:
                self._toggle(n)

            self.listeners.on(button, "click", toggled)
            self.toggles[name] = button
            row.append(button)
        self.include, self.exclude = (
            dom.element(
                "input",
                type="text",
                class_="search-glob",
                name=name,
                placeholder=f"files to {name} (e.g. {example})",
                aria_label=f"Files to {name}",
                spellcheck="false",
            )
            for name, example in (("include", "src/**"), ("exclude", "*.test.js"))
        )
        self.status = dom.element("div", class_="search-summary", role="status", aria_live="polite")
        self.results = dom.element(
            "div", class_="search-results", role="tree", aria_label="Search results"
        )
        self.node.append(row, self.include, self.exclude, self.status, self.results)
        host.replaceChildren(self.node)
        for field in (self.query, self.include, self.exclude):
            self.listeners.on(field, "input", lambda _e: self.schedule(DEBOUNCE))
            self.listeners.on(field, "keydown", self._field_key)
        # One listener for every result row, however many there are.
        self.listeners.on(self.results, "click", self._click)
        self.listeners.on(self.results, "keydown", self._results_key)
        self._task: asyncio.Task[None] | None = None
        self._generation = 0
        self.search: Search | None = None
        self._searched: dict[str, Any] = {}

    # ------------------------------------------------------------ what the workbench calls

    def show(self) -> None:
        """Switch the sidebar to this view and put the cursor in the query."""
        self.bench.layout.show_sidebar("search")
        self.query.focus()
        self.query.select()

    def refresh(self) -> None:
        """The workbench redrew (after a sync, say): search again if the view is on screen,
        has a query, and a file changed since the results were drawn."""
        # Cheapest test first: this runs on every model change (each file a tool writes),
        # and comparing the file maps walks every file.
        if not self._visible() or not str(self.query.value):
            return
        if self._searched != self.bench.model.files:
            self.schedule(REFRESH_DEBOUNCE)

    def dispose(self) -> None:
        self._cancel()
        self.listeners.dispose()
        self.node.remove()

    # ------------------------------------------------------------ running

    def _visible(self) -> bool:
        state = self.bench.layout.state
        return state.sidebar_view == "search" and state.visible("sidebar")

    def options(self) -> Options:
        return Options(
            str(self.query.value),
            include=str(self.include.value),
            exclude=str(self.exclude.value),
            **self.flags,
        )

    def schedule(self, delay: float = 0.0) -> None:
        """Start a search after `delay`, dropping whatever ran or waited before."""
        self._cancel()
        self._generation += 1
        dom.set_state("search", "pending")  # tests and styles: what is shown is stale
        self._task = spawn(self._run(self._generation, delay), "search in files")

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    async def _run(self, generation: int, delay: float) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            if delay:
                await asyncio.sleep(delay)
            options = self.options()
            self.results.replaceChildren()
            if not options.query:
                self._say("", "info")
                dom.set_state("search", "idle")
                return
            model = self.bench.model
            # Unchanged files are the same objects, so comparing this copy later is cheap.
            self._searched = dict(model.files)
            search = Search(model.files, options, self.bench.rules.ignored)
            self.search = search
            dom.set_state("search", "running")
            drawer = _Drawer(self.results)
            while generation == self._generation:
                deadline = time.perf_counter() + TURN
                finished = search.step()
                finished_drawing = drawer.draw(search.results, deadline)
                self._say(summary(search), "error" if search.error else "info")
                if finished and finished_drawing:
                    break
                await asyncio.sleep(0)  # let the page breathe: keys, paint, sync
            if generation == self._generation:
                dom.set_state("search", "error" if search.error else "done")

    def _say(self, text: str, level: str) -> None:
        self.status.textContent = text
        self.status.setAttribute("data-level", level)

    # ------------------------------------------------------------ input

    def _toggle(self, name: str) -> None:
        self.flags[name] = not self.flags[name]
        self.toggles[name].setAttribute("aria-pressed", "true" if self.flags[name] else "false")
        self.schedule()

    def _field_key(self, event: Any) -> None:
        key = str(event.key)
        if key == "Enter":
            event.preventDefault()
            self.schedule()  # at once, no pause
        elif key == "ArrowDown":  # into the results
            first = self.results.querySelector(".search-hit")
            if dom.present(first):
                event.preventDefault()
                first.focus()

    def _click(self, event: Any) -> None:
        hit = event.target.closest(".search-hit")
        if dom.present(hit):
            self._open(hit)
            return
        header = event.target.closest(".search-file-header")
        if dom.present(header):
            group = header.parentElement
            collapsed = str(group.getAttribute("aria-expanded")) == "false"
            group.setAttribute("aria-expanded", "true" if collapsed else "false")

    def _results_key(self, event: Any) -> None:
        key = str(event.key)
        hit = event.target.closest(".search-hit")
        if not dom.present(hit):
            return
        if key == "Enter":
            event.preventDefault()
            self._open(hit)
        elif key in ("ArrowDown", "ArrowUp"):
            event.preventDefault()
            rows = list(self.results.querySelectorAll(".search-hit"))
            at = next((i for i, row in enumerate(rows) if row.isSameNode(hit)), 0)
            rows[max(0, min(len(rows) - 1, at + (1 if key == "ArrowDown" else -1)))].focus()

    def _open(self, hit: Any) -> None:
        path = str(hit.getAttribute("data-path"))
        line = int(str(hit.getAttribute("data-line")))
        column = int(str(hit.getAttribute("data-column")))
        self.bench.open_file(path, line, column)


class _Drawer:
    """Appends result rows as the search finds them, until the turn's deadline, so that
    drawing 2,000 rows (each a few calls into the DOM) never becomes one long task."""

    CHUNK = 16  # rows appended at once between looks at the clock

    def __init__(self, host: Any) -> None:
        self.host = host
        self.file_index = 0
        self.hit_index = 0
        self.group: Any = None

    def draw(self, results: list[FileHits], deadline: float) -> bool:
        """Returns True when everything found so far is on screen."""
        drew = False  # at least one chunk per turn, so drawing always moves on
        while self.file_index < len(results) and (not drew or time.perf_counter() < deadline):
            drew = True
            found = results[self.file_index]
            if self.hit_index == 0:
                self.group = _group(found)
                self.host.append(self.group)
            rows = found.hits[self.hit_index : self.hit_index + self.CHUNK]
            self.group.append(*(_row(found.path, hit) for hit in rows))
            self.hit_index += len(rows)
            if self.hit_index >= len(found.hits):
                self.file_index, self.hit_index = self.file_index + 1, 0
        return self.file_index >= len(results)


def _group(found: FileHits) -> Any:
    group = dom.element(
        "div", class_="search-file", role="treeitem", aria_expanded="true", data_path=found.path
    )
    header = dom.element("div", class_="search-file-header", title=found.path)
    cut = found.path.rfind("/") + 1
    header.append(dom.element("span", found.path[cut:], class_="search-file-name"))
    if cut:
        header.append(dom.element("span", found.path[: cut - 1], class_="search-file-folder"))
    header.append(dom.element("span", str(found.count), class_="search-count"))
    group.append(header)
    return group


def _row(path: str, hit: Hit) -> Any:
    row = dom.element("span", class_="search-hit")
    text, at = hit.preview, 0
    for start, end in hit.spans:  # plain text between the matches, each match in <mark>
        if start > at:
            row.append(text[at:start])
        row.append(dom.element("mark", text[start:end]))
        at = end
    if at < len(text):
        row.append(text[at:])
    row.setAttribute("data-path", path)
    row.setAttribute("data-line", str(hit.line))
    row.setAttribute("data-column", str(hit.column))
    row.setAttribute("role", "treeitem")
    row.setAttribute("tabindex", "0")
    row.setAttribute("title", f"{path}:{hit.line}:{hit.column}")
    return row
