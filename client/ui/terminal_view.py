"""The terminal panel: xterm.js tabs in the bottom panel, each its own shell session in the
project's engine (the Pyodide worker's shell, or WebContainer's `jsh`).

Tabs: + opens one (Ctrl+Shift+`), × closes it (the shell ends), double-click renames,
click switches. A tab shows the last exit status when it was not 0. Clear empties the
screen; Run (F5) runs the project's main entry in the active terminal (`python main.py`,
or under WebContainer `npm run dev` / `npm start` / `node <open file>`).
Python here creates terminals, starts and stops sessions and passes sizes; what is typed
and printed goes between xterm and the worker in JS (client/glue/terminal.mjs).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from client.core.runtime import RuntimeRefused, SpawnOptions
from client.core.settings import Settings
from client.core.tasks import spawn
from client.core.terminal_state import (
    SCROLLBACK,
    SharedHistory,
    clean_name,
    main_entry,
    next_name,
    node_run_line,
    run_line,
    xterm_theme,
)
from client.ffi import dom, modules
from client.ffi.events import Listeners
from client.ffi.runtime_worker import XTerm, on_theme_change
from client.ui.ports import Frame, Notices, Opening, ProjectFiles
from client.ui.runtime_link import RuntimeLink


@dataclass
class TermTab:
    key: str
    name: str
    button: Any
    label: Any
    badge: Any
    host: Any
    term: XTerm | None = None
    process: Any = None  # the engine's Process, with attach(terminal) and on_state


class TerminalBench(ProjectFiles, Opening, Notices, Frame, Protocol):
    """What the terminal panel asks of the workbench."""

    settings: Settings


class TerminalPanel:
    def __init__(self, panel: Any, bench: TerminalBench, link: RuntimeLink) -> None:
        self.bench, self.link = bench, link
        self.listeners = Listeners()
        modules.use_styles("terminal")
        dom.add_stylesheet(modules.asset_url("xterm", "xterm.css"))
        self.tabs: list[TermTab] = []
        self.active: TermTab | None = None
        # Hears every tab's process states (running / idle with the exit status / exit);
        # an embed reports run-exit to its host page from here.
        self.on_state: Callable[[str, Any], None] | None = None
        self._keys = itertools.count(1)
        self._dark = dom.theme_is_dark()
        self._history_key = f"cospai-history-{bench.project_id}"
        self.history = SharedHistory(dom.local_get(self._history_key))
        head = panel.querySelector(".panel-title")
        self.strip = dom.element("div", class_="term-tabs", id="terminal-tabs", role="tablist")
        buttons = [
            ("terminal-new", "+", "New terminal (Ctrl+Shift+`)", self.new_tab),
            ("terminal-clear", "Clear", "Clear the terminal", self.clear),
            ("terminal-run", "▶ Run", "Run the project's main file (F5)", self.run),
        ]
        self.tools = dom.element("span", class_="term-tools")
        for node_id, text, title, action in buttons:
            button = dom.element(
                "button", text, type="button", id=node_id, title=title, class_="term-tool"
            )

            def clicked(_e: Any, act: Callable[[], object] = action) -> None:
                act()

            self.listeners.on(button, "click", clicked)
            self.tools.append(button)
        grow = head.querySelector(".grow")
        head.insertBefore(self.strip, grow)
        head.insertBefore(self.tools, grow.nextSibling)
        self.body = panel.querySelector(".panel-body")
        self.body.replaceChildren()
        self.body.classList.add("term-body")
        self.empty = dom.element(
            "div", "Starting the runtime…", class_="panel-empty", id="terminal-empty"
        )
        self.body.append(self.empty)
        link.on_ready.append(self._ready)
        link.on_switch.append(self._engine_gone)
        link.on_restart.append(self._restarting)
        link.on("crashed", self._crashed)
        # Shown when Ctrl+C was ignored for STUCK_S: the way out is a fresh engine.
        self.stuck = dom.element("div", class_="term-stuck", id="terminal-stuck", role="alert")
        self.stuck.hidden = True
        self.body.append(self.stuck)
        self._theme_observer = on_theme_change(self.listeners, self.refresh)
        link.on("status", lambda _s: self._say_status())
        add = bench.commands.add
        add(
            "terminal.new",
            "New Terminal",
            self.new_tab,
            ("Ctrl+Shift+`", "Ctrl+Shift+~"),
            "Terminal",
        )
        add("terminal.clear", "Clear Terminal", self.clear, (), "Terminal")
        add("terminal.run", "Run Main File", self.run, "F5", "Terminal")
        add("terminal.kill", "Close Terminal", self.close_active, (), "Terminal")
        add("runtime.restart", "Restart Runtime", self.restart, (), "Terminal")

    # ------------------------------------------------------------ tabs

    def _ready(self) -> None:
        self.empty.textContent = "No terminal open. + opens one."
        if not self.tabs:
            self.new_tab(focus=False)  # never take the keyboard from the editor unasked
        for tab in self.tabs:  # after a restart: each tab gets a fresh shell
            if tab.process is None and tab.term is not None:
                spawn(self._spawn(tab, tab is self.active), "start a shell")

    def _crashed(self, reason: str) -> None:
        """The engine died: every terminal says why, in plain words, before its new shell."""
        for tab in self.tabs:
            if tab.term is not None:
                tab.term.write(
                    f"\r\n\x1b[31mThe Python runtime crashed: {reason}.\x1b[0m\r\n"
                    "\x1b[33mRestarting it with the project's files…\x1b[0m\r\n"
                )

    def _restarting(self) -> None:
        """A fresh engine replaces this one: the tabs stay, their shells end."""
        self.stuck.hidden = True
        for tab in self.tabs:
            if tab.process is not None:
                process, tab.process = tab.process, None
                process.on_state = lambda _kind, _value: None
                process.kill()

    def restart(self) -> None:
        """Palette "Restart Runtime", and the button offered when Ctrl+C does not work."""
        for tab in self.tabs:
            if tab.term is not None:
                tab.term.write("\r\n\x1b[33mRestarting the runtime…\x1b[0m\r\n")
        spawn(self.link.restart(), "restart the runtime")

    def _show_stuck(self, seconds: Any) -> None:
        button = dom.element(
            "button", "Restart runtime", type="button", class_="term-tool", id="terminal-restart"
        )
        self.listeners.on(button, "click", lambda _e: self.restart())
        text = dom.element(
            "span",
            f"The program ignored Ctrl+C for {seconds} s. Restarting "
            "the runtime stops it (the project's files are kept).",
        )
        self.stuck.replaceChildren(text, button)
        self.stuck.hidden = False

    def _engine_gone(self) -> None:
        """The project switched engines: the old one's shells end with it."""
        for tab in list(self.tabs):
            self.close(tab)
        self.empty.textContent = "Starting the runtime…"

    def _say_status(self) -> None:
        if not self.link.ready and not self.tabs:
            self.empty.textContent = f"Runtime {self.link.runtime.status.label}"

    def new_tab(self, focus: bool = True) -> None:
        if not self.link.ready:
            self.bench.notify(f"The runtime is not ready ({self.link.runtime.status.label})")
            return
        key = f"t{next(self._keys)}"
        name = next_name([t.name for t in self.tabs])
        button = dom.element("div", class_="term-tab", role="tab", data_key=key, tabindex="0")
        label = dom.element("span", name, class_="term-label")
        badge = dom.element("span", class_="term-code")
        badge.hidden = True
        close = dom.element(
            "button",
            "×",
            type="button",
            class_="term-close",
            title="Close terminal",
            aria_label="Close terminal",
        )
        button.append(label, badge, close)
        host = dom.element("div", class_="term-host", data_key=key)
        tab = TermTab(key, name, button, label, badge, host)
        self.listeners.on(button, "click", lambda _e: self.show(tab))
        self.listeners.on(label, "dblclick", lambda _e: self._rename(tab))

        def closed(e: Any) -> None:
            e.stopPropagation()
            self.close(tab)

        self.listeners.on(close, "click", closed)
        self.strip.append(button)
        self.body.append(host)
        self.tabs.append(tab)
        self.show(tab, focus)
        spawn(self._start(tab, focus), "open a terminal")

    async def _start(self, tab: TermTab, focus: bool) -> None:
        tab.term = await XTerm.create(
            tab.host,
            {
                "scrollback": SCROLLBACK,
                "fontSize": max(self.bench.settings.font_size - 1, 10),
                "theme": xterm_theme(self._dark),
            },
        )
        tab.term.on_resize(self.listeners, lambda c, r: tab.process and tab.process.resize(c, r))
        await self._spawn(tab, focus)

    async def _spawn(self, tab: TermTab, focus: bool) -> None:
        """A shell in the engine, shown in the tab's terminal."""
        if tab.term is None:
            return
        cols, rows = tab.term.fit()
        await self.link.flush()
        try:
            process = await self.link.runtime.spawn(
                "sh", [], SpawnOptions(cols=cols, rows=rows), history=self.history.lines
            )
        except RuntimeRefused as error:
            tab.term.write(f"\x1b[31mThe shell could not start: {error}\x1b[0m\r\n")
            return
        tab.process = process
        process.on_state = lambda kind, value: self._state(tab, kind, value)
        if not self.link.runtime.isolated:
            tab.term.write(
                "\x1b[33mNote: Ctrl+C cannot stop a running program and input() "
                "cannot read the keyboard: this page is not cross-origin "
                "isolated.\x1b[0m\r\n"
            )
        process.attach(tab.term)
        if focus and tab is self.active:
            tab.term.focus()

    def _state(self, tab: TermTab, kind: str, value: Any) -> None:
        if self.on_state is not None and tab is self.active:
            self.on_state(kind, value)
        if kind == "history":
            self.history.add(str(value))
            dom.local_set(self._history_key, self.history.to_json())
        elif kind == "stuck":
            self._show_stuck(value)
        elif kind == "idle":
            self.stuck.hidden = True
            code = int(value)
            tab.badge.textContent = str(code)
            tab.badge.hidden = code == 0
            tab.button.setAttribute("data-exit", str(code))
            tab.badge.title = f"The last command exited with status {code}"
        elif kind == "exit":
            self.close(tab)  # `exit` or Ctrl+D: the tab goes, as in VS Code

    def show(self, tab: TermTab, focus: bool = True) -> None:
        self.active = tab
        for other in self.tabs:
            selected = other is tab
            other.host.hidden = not selected
            other.button.setAttribute("aria-selected", "true" if selected else "false")
        self.empty.hidden = True
        if tab.term is not None:
            tab.term.fit()
            if focus:
                tab.term.focus()

    def close(self, tab: TermTab) -> None:
        if tab not in self.tabs:
            return
        index = self.tabs.index(tab)
        self.tabs.remove(tab)
        if tab.process is not None:
            tab.process.kill()
        if tab.term is not None:
            tab.term.dispose()
        tab.button.remove()
        tab.host.remove()
        if self.active is tab:
            self.active = None
            if self.tabs:
                self.show(self.tabs[min(index, len(self.tabs) - 1)])
            else:
                self.empty.hidden = False

    def close_active(self) -> None:
        if self.active is not None:
            self.close(self.active)

    def _rename(self, tab: TermTab) -> None:
        field = dom.element(
            "input", class_="term-rename", value=tab.name, aria_label="Terminal name"
        )
        field.value = tab.name
        tab.label.replaceWith(field)
        field.focus()
        field.select()
        finished = False

        def done(keep: bool) -> None:
            nonlocal finished
            if finished:
                return
            finished = True
            if keep:
                tab.name = clean_name(str(field.value), tab.name)
            tab.label.textContent = tab.name
            field.replaceWith(tab.label)

        def key(event: Any) -> None:
            event.stopPropagation()
            if event.key == "Enter":
                done(True)
            elif event.key == "Escape":
                done(False)

        self.listeners.on(field, "keydown", key)
        self.listeners.on(field, "blur", lambda _e: done(True))

    # ------------------------------------------------------------ tools

    def clear(self) -> None:
        if self.active is not None and self.active.term is not None:
            self.active.term.clear()
            self.active.term.focus()

    def run(self, entry: str | None = None) -> None:
        """Run `entry`, else the project's main entry, in the active terminal: a Python file
        under Pyodide; under WebContainer the package's dev or start script, else `node` on
        `entry` or the open .js file."""
        if self.link.engine == "webcontainer":
            package = self.bench.model.files.get("package.json")
            line = node_run_line(
                None if package is None or entry else package.content,
                entry or self.bench.active_path(),
            )
            if line is None:
                self.bench.notify(
                    "Nothing to run: add a dev or start script to package.json, or open a .js file"
                )
                return
            spawn(self._run(line), "run the program")
            return
        entry = entry or main_entry(set(self.bench.model.files), self.bench.active_path())
        if entry is None:
            self.bench.notify("Nothing to run: open a .py file, or add main.py or app.py")
            return
        spawn(self._run(run_line(entry)), "run the program")

    async def _run(self, line: str) -> None:
        """Typed into the active terminal as a person would: when a command is still
        running there, the line waits as typeahead and runs after it."""
        self.bench.layout.toggle("bottom", True)
        await self.link.flush()  # the editor's latest text, before the command runs
        if self.active is None:
            self.new_tab()
        tab = self.active
        for _ in range(200):  # a new shell starts in well under 10 s
            if tab is None or tab.process is not None:
                break
            await asyncio.sleep(0.05)
        if tab is not None and tab.process is not None:
            tab.process.write(line + "\r")
            if tab.term is not None:
                tab.term.focus()

    # ------------------------------------------------------------ workbench

    def refresh(self) -> None:
        dark = dom.theme_is_dark()
        if dark != self._dark:
            self._dark = dark
            for tab in self.tabs:
                if tab.term is not None:
                    tab.term.set_theme(xterm_theme(dark))

    def dispose(self) -> None:
        for tab in list(self.tabs):
            self.close(tab)
        self._theme_observer.disconnect()
        self.listeners.dispose()
        self.link.dispose()
