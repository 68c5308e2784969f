"""The overlay list shared by quick open and the command palette: an input at the top
centre over a filtered list, driven by the keyboard (arrows, Page keys, Enter, Escape) or
the mouse. What the list holds and what picking does belong to the caller.

Rows are rebuilt on every keystroke, so they stay few (ROWS) and cheap: each is a handful
of elements whose text is set as text, never parsed as HTML, and one delegated listener
on the list serves them all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from client.core.fuzzy import segments
from client.ffi import dom, modules
from client.ffi.convert import to_object
from client.ffi.events import Listeners

ROWS = 60  # rendered at most; the caller's list is cut to this


@dataclass(frozen=True)
class Item:
    value: str  # what picking hands back; also the row's data-value
    label: str
    label_marks: tuple[int, ...] = ()  # highlighted character indexes in label
    detail: str = ""  # muted text after the label (a folder)
    detail_marks: tuple[int, ...] = ()
    hint: str = ""  # right-aligned (a shortcut)
    data: tuple[tuple[str, str], ...] = ()  # extra data-* attributes on the row


def marked(text: str, marks: Iterable[int], css: str) -> Any:
    """A span holding text with the marked characters in <mark> elements."""
    node = dom.element("span", class_=css)
    for piece, hit in segments(text, marks):
        node.append(dom.element("mark", piece) if hit else dom.document().createTextNode(piece))
    return node


class Picker:
    def __init__(
        self,
        element_id: str,
        placeholder: str,
        items: Callable[[str], list[Item]],
        on_pick: Callable[[Item, str], None],
        empty: str = "No matching results",
    ) -> None:
        self.element_id, self.placeholder, self.empty = element_id, placeholder, empty
        self.items, self.on_pick = items, on_pick
        self.node: Any = None
        self.input: Any = None
        self.list: Any = None
        self.shown: list[Item] = []
        self.selected = 0
        self.listeners = Listeners()
        self._return_focus: Any = None
        self._pending = False

    @property
    def is_open(self) -> bool:
        return self.node is not None and not self.node.hidden

    def show(self, text: str = "") -> None:
        """Open (or re-open) with this text typed, and the list filtered for it."""
        if self.node is None:
            self._build()
        if not self.is_open:
            active = dom.document().activeElement
            self._return_focus = active if dom.present(active) else None
            self.node.hidden = False
        self.input.value = text
        self.input.focus()
        self.update()

    def _build(self) -> None:
        """Built once and then only hidden and shown: its listeners live as long as it."""
        modules.use_styles("picker")
        self.node = dom.element(
            "div", id=self.element_id, class_="picker", role="dialog", aria_label=self.placeholder
        )
        list_id = f"{self.element_id}-list"
        self.input = dom.element(
            "input",
            class_="picker-input",
            type="text",
            role="combobox",
            spellcheck="false",
            autocomplete="off",
            aria_controls=list_id,
            aria_expanded="true",
            placeholder=self.placeholder,
        )
        self.list = dom.element("ul", class_="picker-list", id=list_id, role="listbox")
        self.node.append(self.input, self.list)
        dom.document().body.append(self.node)
        self.listeners.on(self.input, "input", lambda _e: self._soon())
        self.listeners.on(self.input, "keydown", self._key)
        self.listeners.on(self.input, "blur", lambda _e: self.hide(restore_focus=False))
        # Keep the focus in the input while the mouse picks, so blur does not close first.
        self.listeners.on(self.list, "pointerdown", lambda e: e.preventDefault())
        self.listeners.on(self.list, "click", self._click)
        self.listeners.on(self.list, "pointermove", self._hover)

    def _soon(self) -> None:
        """Filter on the next turn of the event loop, once: keys typed faster than a
        filtering run are folded into one run over what the box then holds."""
        if not self._pending:
            self._pending = True
            asyncio.get_event_loop().call_soon(self.update)

    def update(self) -> None:
        self._pending = False
        if not self.is_open:
            return
        text = str(self.input.value)
        self.shown = self.items(text)[:ROWS]
        self.selected = 0
        if not self.shown:
            self.list.replaceChildren(dom.element("li", self.empty, class_="picker-empty"))
            return
        self.list.replaceChildren(*(self._row(i, item) for i, item in enumerate(self.shown)))
        self._select(0)

    def _row(self, index: int, item: Item) -> Any:
        row = dom.element(
            "li",
            class_="picker-row",
            role="option",
            data_value=item.value,
            data_index=str(index),
            id=f"{self.element_id}-row-{index}",
        )
        for name, value in item.data:
            row.setAttribute(f"data-{name}", value)
        row.append(marked(item.label, item.label_marks, "picker-label"))
        if item.detail:
            row.append(marked(item.detail, item.detail_marks, "picker-detail"))
        if item.hint:
            row.append(dom.element("kbd", item.hint, class_="picker-hint"))
        return row

    def _select(self, index: int) -> None:
        rows = self.list.children
        if not self.shown:
            return
        old = rows.item(self.selected)
        if dom.present(old):
            old.setAttribute("aria-selected", "false")
        self.selected = index % len(self.shown)
        row = rows.item(self.selected)
        row.setAttribute("aria-selected", "true")
        row.scrollIntoView(to_object({"block": "nearest"}))
        self.input.setAttribute("aria-activedescendant", str(row.id))

    def _key(self, event: Any) -> None:
        key = str(event.key)
        steps = {"ArrowDown": 1, "ArrowUp": -1, "PageDown": 10, "PageUp": -10}
        if key in steps and self.shown:
            event.preventDefault()
            target = self.selected + steps[key]
            if key.startswith("Page"):  # pages stop at the ends; arrows wrap around
                target = max(0, min(len(self.shown) - 1, target))
            self._select(target)
        elif key == "Enter" and not event.isComposing:
            event.preventDefault()
            if self._pending:  # typed and pressed Enter before the list caught up
                self.update()
            self._pick(self.selected)
        elif key == "Escape":
            event.preventDefault()
            event.stopPropagation()
            self.hide()

    def _index(self, event: Any) -> int | None:
        row = event.target.closest(".picker-row")
        if not dom.present(row):
            return None
        return int(str(row.getAttribute("data-index")))

    def _click(self, event: Any) -> None:
        index = self._index(event)
        if index is not None:
            self._pick(index)

    def _hover(self, event: Any) -> None:
        index = self._index(event)
        if index is not None and index != self.selected:
            self._select(index)

    def _pick(self, index: int) -> None:
        if not self.shown:
            return
        item, text = self.shown[index], str(self.input.value)
        self.hide()
        self.on_pick(item, text)

    def hide(self, restore_focus: bool = True) -> None:
        """Close; by default the focus goes back where it was (the editor, usually)."""
        if not self.is_open:
            return
        self.node.hidden = True
        self.shown = []
        self.list.replaceChildren()
        back, self._return_focus = self._return_focus, None
        if restore_focus and back is not None and bool(back.isConnected):
            back.focus()

    def dispose(self) -> None:
        self.listeners.dispose()
        if self.node is not None:
            self.node.remove()
            self.node = None
