"""The explorer's row nodes: a small pool of absolutely placed rows inside a spacer as
tall as all rows, repainted as the tree scrolls. Row i always lands in slot
i % pool size, so a scroll by one row repaints one node, and a node is only touched
when what it shows changed.
"""

from __future__ import annotations

from typing import Any

from client.core.tree_view import Row
from client.ffi import dom

ROW_HEIGHT = 22  # px; tree.css says the same
INDENT = 12  # px per level
PAD = 6

# What a row shows besides its own data, in this order (the drawn state holds them too).
MARKS = ("data-focused", "data-active", "data-cut", "data-drop-target", "data-editing")


class RowPool:
    def __init__(self, spacer: Any) -> None:
        self.spacer = spacer
        self.nodes: list[Any] = []
        self._names: list[Any] = []
        self._drawn: dict[int, tuple[object, ...] | None] = {}

    def __len__(self) -> int:
        return len(self.nodes)

    def grow(self, needed: int) -> None:
        """At least `needed` nodes (one screen of rows and the overscan)."""
        if needed <= len(self.nodes):
            return
        while len(self.nodes) < needed:
            slot = len(self.nodes)
            node = dom.element(
                "div", class_="tree-row", role="treeitem", draggable="true", id=f"tree-row-{slot}"
            )
            name = dom.element("span", class_="tree-name")
            node.append(name)
            node.hidden = True
            self.spacer.append(node)
            self.nodes.append(node)
            self._names.append(name)
        self._drawn = {}  # the slot of each row changed with the pool's size

    def paint(
        self, slot: int, index: int, row: Row, selected: bool, marks: tuple[bool, ...]
    ) -> None:
        """Row `index` in node `slot`; `marks` are MARKS' states (focused, active...)."""
        state = (
            row.path,
            index,
            row.depth,
            row.is_folder,
            row.expanded,
            row.ignored,
            selected,
            *marks,
        )
        if self._drawn.get(slot) == state:
            return
        self._drawn[slot] = state
        node = self.nodes[slot]
        node.hidden = False
        node.style.top = f"{index * ROW_HEIGHT}px"
        node.style.paddingLeft = f"{PAD + row.depth * INDENT}px"
        self._names[slot].textContent = row.name  # text, never HTML
        node.setAttribute("data-path", row.path)
        node.setAttribute("data-kind", "folder" if row.is_folder else "file")
        node.setAttribute("aria-level", str(row.depth + 1))
        node.setAttribute("aria-selected", "true" if selected else "false")
        node.setAttribute("title", row.path)
        if row.is_folder:
            node.setAttribute("aria-expanded", "true" if row.expanded else "false")
        else:
            node.removeAttribute("aria-expanded")
        flags = (("data-ignored", row.ignored), *zip(MARKS, marks, strict=True))
        for name, on in (*flags, ("data-new", row.placeholder)):
            if on:
                node.setAttribute(name, "true")
            else:
                node.removeAttribute(name)

    def hide_others(self, used: set[int]) -> None:
        """Nodes no row in view needs: hidden, and no stale path for selectors to match."""
        for slot in range(len(self.nodes)):
            if slot not in used and self._drawn.get(slot) is not None:
                self.nodes[slot].hidden = True
                self.nodes[slot].removeAttribute("data-path")
                self._drawn[slot] = None
