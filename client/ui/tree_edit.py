"""The input inside a tree row for F2 rename and New File / New Folder.

The name is checked at every keystroke (client.core.names) and the reason shown right
under the input, so a bad name never becomes a request. Enter commits a good name, Escape
cancels, leaving the input commits a good name and drops a bad one (as VS Code does).
The tree's delegated listeners pass the input's events here; the input has none of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from client.core.names import NameRefused
from client.ffi import dom


class InlineEdit:
    def __init__(
        self,
        row_path: str,
        initial: str,
        label: str,
        check: Callable[[str], str],
        commit: Callable[[str], None],
        done: Callable[[], None],
    ) -> None:
        """`check` returns the name to use or raises NameRefused; `commit` gets that name
        (and may raise NameRefused too); `done` runs when the edit ends either way."""
        self.row_path = row_path
        self.check, self.commit, self.done = check, commit, done
        self.input = dom.element(
            "input",
            class_="tree-input",
            type="text",
            spellcheck="false",
            autocomplete="off",
            aria_label=label,
        )
        self.input.value = initial
        self.error = dom.element("div", class_="tree-error", role="alert")
        self.error.hidden = True
        self.finished = False
        self.moving = False  # the tree is re-parenting the input: its blur means nothing
        self._touched = False

    def start(self) -> None:
        self.input.focus()
        value = str(self.input.value)
        dot = value.rfind(".")
        # Like VS Code: the name without its extension is selected, ready to be typed over.
        self.input.setSelectionRange(0, dot if dot > 0 else len(value))

    def is_input(self, node: Any) -> bool:
        return dom.present(node) and bool(node == self.input)

    def _reason(self) -> str | None:
        try:
            self.check(str(self.input.value))
        except NameRefused as error:
            return str(error)
        return None

    def _show(self, reason: str | None) -> None:
        self.error.textContent = reason or ""
        self.error.hidden = reason is None
        self.input.setAttribute("aria-invalid", "true" if reason else "false")

    # ------------------------------------------------------------ events from the tree

    def typed(self) -> None:
        self._touched = True
        self._show(self._reason())

    def key(self, event: Any) -> None:
        key = str(event.key)
        event.stopPropagation()  # typing here is not tree navigation
        if key == "Enter":
            event.preventDefault()
            self._try_commit(keep_open=True)
        elif key == "Escape":
            event.preventDefault()
            self.finish()

    def left(self) -> None:
        if self.moving or self.finished:
            return
        self._try_commit(keep_open=False)

    def _try_commit(self, keep_open: bool) -> None:
        reason = self._reason()
        if reason is None:
            try:
                self.commit(self.check(str(self.input.value)))
            except NameRefused as error:  # e.g. the folder went away meanwhile
                reason = str(error)
        if reason is None or not keep_open:
            self.finish()
        else:
            self._show(reason)
            self.input.focus()

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        self.input.remove()
        self.error.remove()
        self.done()
