"""Drag and drop on the explorer (HTML5 DnD): rows dragged onto a folder (or the empty
space, meaning the root) move there; files and folders dragged in from the desktop are
uploaded into it. A closed folder held under the pointer for a moment opens.

The rows being dragged are remembered here, not read back from dataTransfer: during
dragover the browser lets a page see only the types, never the data.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from client.core.names import inside, parent_of
from client.core.tasks import spawn
from client.core.tree_view import PLACEHOLDER
from client.ffi import dom, transfer

if TYPE_CHECKING:
    from client.ui.file_tree import FileTree

INTERNAL_TYPE = "application/x-cospai-paths"
OPEN_AFTER_S = 0.6  # hovering a closed folder this long while dragging opens it


def _row_of(event: Any) -> Any:
    node = event.target.closest(".tree-row") if dom.present(event.target) else None
    return node if dom.present(node) else None


class TreeDrop:
    def __init__(self, tree: FileTree) -> None:
        self.tree, self.view = tree, tree.view
        self.dragging: list[str] | None = None
        self._hover: tuple[str, float] | None = None

    def _target(self, event: Any) -> str | None:
        """The folder a drop here goes into: the row's folder, '' below the rows."""
        row = _row_of(event)
        if row is None:
            return ""
        path = str(row.getAttribute("data-path"))
        if path.rpartition("/")[2] == PLACEHOLDER:
            return None
        return path if row.getAttribute("data-kind") == "folder" else parent_of(path)

    def _show(self, target: str | None) -> None:
        if self.tree.drop_target != target:
            self.tree.drop_target = target
            self.tree.draw()

    # ------------------------------------------------------------ events

    def dragstart(self, event: Any) -> None:
        row = _row_of(event)
        if row is None or self.tree.edit is not None:
            event.preventDefault()
            return
        path = str(row.getAttribute("data-path"))
        if path not in self.view.selection:
            self.view.select(path)
        self.view.focus = path
        self.dragging = self.view.targets()
        data = event.dataTransfer
        data.setData(INTERNAL_TYPE, json.dumps(self.dragging))
        data.setData("text/plain", "\n".join(self.dragging))
        data.effectAllowed = "move"
        self.tree.draw()

    def dragover(self, event: Any) -> None:
        target = self._target(event)
        if target is None:
            return
        if self.dragging is not None:
            if not self._can_move(target):
                self._show(None)
                return  # not cancelling the event tells the browser: no drop here
            event.preventDefault()
            event.dataTransfer.dropEffect = "move"
        elif transfer.has_files(event.dataTransfer):
            event.preventDefault()
            event.dataTransfer.dropEffect = "copy"
        else:
            return
        self._show(target)
        self._open_when_held(_row_of(event))

    def _can_move(self, target: str) -> bool:
        dragging = self.dragging or []
        if any(self.view.is_folder(p) and inside(target, p) for p in dragging):
            return False  # a folder into itself
        return any(parent_of(p) != target for p in dragging)

    def _open_when_held(self, row: Any) -> None:
        if row is None or row.getAttribute("aria-expanded") != "false":
            self._hover = None
            return
        path, now = str(row.getAttribute("data-path")), time.monotonic()
        if self._hover is None or self._hover[0] != path:
            self._hover = (path, now)
        elif now - self._hover[1] >= OPEN_AFTER_S:
            self.view.expand(path)
            self._hover = None
            self.tree.draw()

    def dragleave(self, event: Any) -> None:
        after = event.relatedTarget
        if not dom.present(after) or not self.tree.scroller.contains(after):
            self._show(None)

    def drop(self, event: Any) -> None:
        target = self._target(event)
        event.preventDefault()
        self._show(None)
        if target is None:
            return
        if self.dragging is not None:
            paths, self.dragging = self.dragging, None
            self.tree.actions.move(paths, target)
            return
        taken = transfer.take_dropped(event.dataTransfer)  # now: it is emptied afterwards
        if taken:
            spawn(self._upload(taken, target), "upload the dropped files")

    async def _upload(self, taken: list[Any], target: str) -> None:
        incoming = await transfer.collect(taken)
        await self.tree.actions.transfer.upload(incoming, target)

    def dragend(self, _event: Any) -> None:
        self.dragging = None
        self._hover = None
        self._show(None)
