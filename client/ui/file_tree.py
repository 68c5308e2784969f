"""The explorer: a virtualized file tree.

Only the rows on screen (plus some overscan) exist as DOM nodes: a scroll container holds
a spacer as tall as all rows (22 px each), and a small pool of absolutely placed row nodes
is repainted on scroll, once per animation frame. Row i always lands in pool slot
i % pool size, so a scroll by one row repaints one node, and a node is only touched when
what it shows changed. Every event type has one delegated listener on the container (none
per row), so drawing 20,000 files creates no proxies.

The data lives in client.core.tree_view (rows, selection, keys) and client.core.file_ops
(what create/rename/move/delete do); the row nodes in tree_rows.py, the actions in
tree_actions.py, drag and drop in tree_drop.py, the menu in tree_menu.py, the inline
input in tree_edit.py. What the tree asks of the workbench is TreeBench.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from client.core.tree_view import PLACEHOLDER, TreeView, visible_window
from client.ffi import dom, modules
from client.ffi.events import Listeners
from client.ui.ports import Frame, Notices, Opening, ProjectFiles, Saving
from client.ui.tree_actions import TreeActions
from client.ui.tree_drop import TreeDrop
from client.ui.tree_edit import InlineEdit
from client.ui.tree_menu import TreeMenu
from client.ui.tree_rows import INDENT, PAD, ROW_HEIGHT, RowPool

OVERSCAN = 10


class TreeBench(ProjectFiles, Opening, Notices, Frame, Saving, Protocol):
    """What the explorer asks of the workbench."""

    def edited(self, *paths: str) -> None: ...

    def renamed(self, old: str, new: str) -> None: ...

    def export_url(self) -> str | None: ...


def _row_of(event: Any) -> Any:
    node = event.target.closest(".tree-row") if dom.present(event.target) else None
    return node if dom.present(node) else None


class FileTree:
    def __init__(self, host: Any, bench: TreeBench) -> None:
        modules.use_styles("tree")
        self.host, self.bench = host, bench
        self.listeners = Listeners()
        self.view = TreeView(bench.rules)
        self._folders_key = f"cospai-folders-{bench.project_id}"
        self.view.local_folders.update(_load_folders(dom.local_get(self._folders_key)))
        self._saved_folders = frozenset(self.view.local_folders)
        self.edit: InlineEdit | None = None
        self.cut: set[str] = set()  # dimmed while Ctrl+X waits for a paste
        self.drop_target: str | None = None  # the folder highlighted under a drag
        self._build_dom()
        self.rows = RowPool(self.spacer)
        self._frame_pending = False
        self._frame = self.listeners.proxy(self._on_frame)
        self.actions = TreeActions(self)
        self.drop = TreeDrop(self)
        self.menu = TreeMenu(self.actions.run, self.focus)
        self._listen()
        self._resize = dom.window().ResizeObserver.new(
            self.listeners.proxy(lambda *_a: self.schedule())
        )
        self._resize.observe(self.scroller)
        self.actions.register_commands()
        self.refresh()

    def _build_dom(self) -> None:
        self.pane = dom.element("div", class_="tree-pane", id="explorer")
        self.title = dom.element("div", class_="tree-title")
        self.title.append(dom.element("span", "Files", class_="tree-title-name"))
        for action, glyph, label in (
            ("newFile", "+", "New File…"),
            ("newFolder", "⊞", "New Folder…"),
            ("upload", "⇪", "Upload Files…"),
            ("collapseAll", "⊟", "Collapse All"),
        ):
            self.title.append(
                dom.element(
                    "button",
                    glyph,
                    type="button",
                    title=label,
                    aria_label=label,
                    data_action=action,
                )
            )
        self.scroller = dom.element(
            "div",
            class_="tree-scroll",
            id="file-tree",
            role="tree",
            tabindex="0",
            aria_label="Files",
            aria_multiselectable="true",
        )
        self.spacer = dom.element("div", class_="tree-spacer")
        self.empty = dom.element(
            "div", "No files yet. Create one with + or drop files here.", class_="tree-empty"
        )
        self.scroller.append(self.spacer, self.empty)
        self.toast = dom.element("div", class_="tree-toast", role="status", id="tree-toast")
        self.toast.hidden = True
        self.picker = dom.element(
            "input", type="file", id="tree-upload-input", aria_label="Upload files"
        )
        self.picker.multiple = True
        self.picker.hidden = True
        self.pane.append(self.title, self.scroller, self.toast, self.picker)
        self.host.classList.add("tree-host")
        self.host.append(self.pane)

    def _listen(self) -> None:
        on, s = self.listeners.on, self.scroller
        on(self.title, "click", self._title_click)
        on(s, "scroll", lambda _e: self.schedule())
        on(s, "click", self._click)
        on(s, "dblclick", self._double_click)
        on(s, "keydown", self._key)
        on(s, "contextmenu", self._context)
        on(s, "input", self._typed)
        on(s, "focusout", self._focus_out)
        for event in ("dragstart", "dragover", "dragleave", "drop", "dragend"):
            on(s, event, getattr(self.drop, event))
        on(self.picker, "change", lambda _e: self.actions.transfer.upload_picked(self.picker))
        on(self.toast, "click", self.actions.toast.click)

    # ------------------------------------------------------------ what the workbench calls

    def refresh(self) -> None:
        """The model changed (any source): re-index if the paths changed, then redraw."""
        self.view.set_files(self.bench.model.files.keys())
        self.cut = {p for p in self.cut if self.view.exists(p)}
        self.save_folders()
        self.draw()

    def reveal(self, path: str) -> None:
        index = self.view.reveal(path)
        if index is not None:
            self.scroll_to(index, center=True)
        self.draw()

    def collapse_all(self) -> None:
        self.view.collapse_all()
        self.draw()

    def focus(self) -> None:
        self.scroller.focus()

    def dispose(self) -> None:
        if self.edit is not None:
            self.edit.finished = True
        self.menu.close(give_back=False)
        self._resize.disconnect()
        self.actions.dispose()
        self.listeners.dispose()
        self.pane.remove()

    # ------------------------------------------------------------ drawing

    def schedule(self) -> None:
        """Redraw at the next frame: many scroll events in one frame cost one draw."""
        if not self._frame_pending:
            self._frame_pending = True
            dom.window().requestAnimationFrame(self._frame)

    def _on_frame(self, _time: Any = None) -> None:
        self._frame_pending = False
        self.draw()

    def draw(self) -> None:
        view = self.view
        count = view.count
        self.spacer.style.height = f"{count * ROW_HEIGHT}px"
        if bool(self.empty.hidden) != (count > 0):  # a same-value write still restyles
            self.empty.hidden = count > 0
        first, end = visible_window(
            float(self.scroller.scrollTop), self._height(), ROW_HEIGHT, count, OVERSCAN
        )
        self.rows.grow(end - first)
        size = len(self.rows)
        used: set[int] = set()
        active = self.bench.active_path()
        editing = self.edit.row_path if self.edit is not None else None
        for index in range(first, end):
            slot = index % size
            used.add(slot)
            row = view.row(index)
            path = row.path
            marks = (
                path == view.focus,
                path == active,
                path in self.cut,
                path == self.drop_target,
                path == editing,
            )
            self.rows.paint(slot, index, row, path in view.selection, marks)
        self.rows.hide_others(used)
        self._place_edit(first, end)
        focused = view.index_of(view.focus) if view.focus is not None else None
        if focused is not None and first <= focused < end:
            self.scroller.setAttribute("aria-activedescendant", f"tree-row-{focused % size}")
        else:
            self.scroller.removeAttribute("aria-activedescendant")
        self.scroller.classList.toggle("drop-root", self.drop_target == "")
        dom.set_state("tree-rows", str(count))

    def _place_edit(self, first: int, end: int) -> None:
        """Keep the inline input inside its row's node (which moves on scroll)."""
        edit = self.edit
        if edit is None or edit.finished:
            return
        index = self.view.index_of(edit.row_path)
        if index is None or not first <= index < end:
            edit.left()  # scrolled away or gone: as if the focus left it
            return
        node = self.rows.nodes[index % len(self.rows)]
        if edit.input.parentNode != node:
            had_focus = dom.document().activeElement == edit.input
            edit.moving = True
            node.append(edit.input)
            if had_focus:
                edit.input.focus()
            edit.moving = False
        depth = self.view.row(index).depth
        edit.error.style.top = f"{(index + 1) * ROW_HEIGHT}px"
        edit.error.style.left = f"{PAD + depth * INDENT + 14}px"
        if edit.error.parentNode != self.spacer:
            self.spacer.append(edit.error)

    def _height(self) -> float:
        """The scroller's height, never more than the window's: should the layout ever
        leave it unbounded, the tree still draws one screen of rows, not all of them."""
        window = float(dom.window().innerHeight) or 800.0
        return min(float(self.scroller.clientHeight) or window, window)

    def scroll_to(self, index: int, center: bool = False) -> None:
        top = float(self.scroller.scrollTop)
        height = self._height()
        row_top, row_bottom = index * ROW_HEIGHT, (index + 1) * ROW_HEIGHT
        if center and not top <= row_top < top + height - ROW_HEIGHT:
            self.scroller.scrollTop = max(0.0, row_top - height / 2)
        elif row_top < top:
            self.scroller.scrollTop = row_top
        elif row_bottom > top + height:
            self.scroller.scrollTop = row_bottom - height

    def page_rows(self) -> int:
        return max(1, int(self._height() // ROW_HEIGHT) - 1)

    def save_folders(self) -> None:
        """The user's empty folders, per project, in localStorage (the server has only
        files, so an empty folder lives on this device until a file lands in it)."""
        current = frozenset(self.view.local_folders)
        if current != self._saved_folders:
            self._saved_folders = current
            if current:
                dom.local_set(self._folders_key, json.dumps(sorted(current)))
            else:
                dom.local_remove(self._folders_key)

    # ------------------------------------------------------------ events

    def _title_click(self, event: Any) -> None:
        button = event.target.closest("button[data-action]")
        if dom.present(button):
            self.actions.run(str(button.getAttribute("data-action")))

    def _click(self, event: Any) -> None:
        if self.edit is not None and self.edit.is_input(event.target):
            return
        row = _row_of(event)
        if row is None:  # the empty space below the rows: nothing chosen, the root is
            self.view.selection.clear()
            self.view.focus = None
            self.draw()
            return
        path = str(row.getAttribute("data-path"))
        if path.rpartition("/")[2] == PLACEHOLDER:
            return
        if event.ctrlKey or event.metaKey:
            self.view.select(path, "toggle")
        elif event.shiftKey:
            self.view.select(path, "range")
        else:
            self.view.select(path)
            if self.view.is_folder(path):
                self.view.toggle(path)
            else:
                self.bench.open_file(path)
                # The focus stays here (as VS Code's single click): F2, Delete and arrows
                # act on what was just clicked; a double click goes to the editor.
                self.scroller.focus()
        self.draw()

    def _double_click(self, event: Any) -> None:
        row = _row_of(event)
        if row is not None and row.getAttribute("data-kind") == "file":
            self.bench.open_file(str(row.getAttribute("data-path")))

    def _typed(self, event: Any) -> None:
        if self.edit is not None and self.edit.is_input(event.target):
            self.edit.typed()

    def _focus_out(self, event: Any) -> None:
        if self.edit is not None and self.edit.is_input(event.target):
            self.edit.left()

    def _context(self, event: Any) -> None:
        if self.edit is not None and self.edit.is_input(event.target):
            return  # the input's own menu (cut, paste) stays
        event.preventDefault()
        row = _row_of(event)
        if row is None:
            self.view.selection.clear()
            self.view.focus = None
        else:
            path = str(row.getAttribute("data-path"))
            if path not in self.view.selection:
                self.view.select(path)
            self.view.focus = path
        self.draw()
        self.menu.open(self.actions.menu_items(), float(event.clientX), float(event.clientY))

    def open_menu_at_focus(self) -> None:
        """Shift+F10 / the ContextMenu key: the menu under the focused row."""
        box = self.scroller.getBoundingClientRect()
        index = self.view.index_of(self.view.focus) if self.view.focus is not None else None
        if index is not None:
            self.scroll_to(index)
            y = float(box.top) + (index + 1) * ROW_HEIGHT - float(self.scroller.scrollTop)
        else:
            y = float(box.top) + 4
        self.draw()
        self.menu.open(self.actions.menu_items(), float(box.left) + 24, y)

    def _key(self, event: Any) -> None:
        if self.edit is not None and self.edit.is_input(event.target):
            self.edit.key(event)
            return
        key, shift = str(event.key), bool(event.shiftKey)
        ctrl = bool(event.ctrlKey) or bool(event.metaKey)
        if not ctrl and not event.altKey and self.view.navigate(key, shift, self.page_rows()):
            event.preventDefault()
            index = self.view.index_of(self.view.focus) if self.view.focus else None
            if index is not None:
                self.scroll_to(index)
            self.draw()
            return
        if self.actions.key(key, ctrl, shift, bool(event.altKey)):
            event.preventDefault()
            event.stopPropagation()


def _load_folders(saved: str | None) -> set[str]:
    try:
        value = json.loads(saved) if saved else []
    except ValueError:
        return set()
    return {v for v in value if isinstance(v, str) and v} if isinstance(value, list) else set()
