"""What the explorer does: new file/folder, rename, delete (confirm, then undo), copy, cut,
paste, move, upload, download, copy path. One `run(action)` serves the title buttons, the
context menu, the keyboard and the command palette alike.

Each action checks with client.core (names, file_ops) before touching anything; a refusal
becomes a message, never a request. After a change it tells the workbench (edited,
renamed), which stores and syncs it and asks every view to refresh.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from client.core.file_ops import FileOps, Removed
from client.core.names import (
    NameRefused,
    count,
    inside,
    join,
    name_of,
    parent_of,
    validate_name,
)
from client.core.tasks import spawn
from client.core.tree_view import PLACEHOLDER
from client.ffi import dom
from client.ui.tree_edit import InlineEdit
from client.ui.tree_menu import Item, confirm_delete
from client.ui.tree_toast import TreeToast
from client.ui.tree_transfer import TreeTransfer

if TYPE_CHECKING:
    from client.ui.file_tree import FileTree

# (command id, title, action, shortcut, category). Bare keys (F2, Delete) are handled on
# the tree itself: the workbench listens for chords on the whole window, where they would
# fire while typing in the editor.
COMMANDS = (
    ("explorer.newFile", "New File…", "newFile", "Ctrl+Alt+N", "File"),
    ("explorer.newFolder", "New Folder…", "newFolder", "", "File"),
    ("explorer.upload", "Upload Files…", "upload", "", "File"),
    ("explorer.download", "Download Project as Zip", "downloadZip", "", "File"),
    ("explorer.rename", "Rename…", "rename", "", "Explorer"),
    ("explorer.delete", "Delete", "delete", "", "Explorer"),
    ("explorer.reveal", "Reveal Active File in Explorer", "reveal", "", "Explorer"),
    ("explorer.collapseAll", "Collapse All Folders", "collapseAll", "", "Explorer"),
)


# What changes files: refused, with a word why, where the files are read-only (an embed
# with read-only set). Copy, download, reveal and the like stay.
CHANGING = frozenset({"newFile", "newFolder", "rename", "delete", "cut", "paste", "upload", "undo"})
READ_ONLY_NOTICE = "These files are read-only here."


class TreeActions:
    def __init__(self, tree: FileTree) -> None:
        self.tree, self.bench, self.view = tree, tree.bench, tree.view
        self.read_only = False  # set by a read-only embed
        self.clipboard: tuple[list[str], bool] | None = None  # (paths, cut)
        self.undo: Removed | None = None
        self.toast = TreeToast(tree.toast, self.run)
        self.transfer = TreeTransfer(tree, self)

    @property
    def ops(self) -> FileOps:
        # The model is asked each time: the sync engine replaces it when a project opens.
        return FileOps(self.bench.model, self.bench.rules, self.view.local_folders)

    def register_commands(self) -> None:
        for command_id, title, action, keys, category in COMMANDS:

            def run(a: str = action) -> None:
                self.run(a, from_palette=True)

            try:
                self.bench.commands.add(command_id, title, run, keys or (), category)
            except ValueError:  # the chord went to another command: keep it palette-only
                self.bench.commands.add(command_id, title, run, (), category)

    def refused(self, action: str) -> bool:
        """True (and the user told) when `action` would change files that are read-only."""
        if self.read_only and action in CHANGING:
            self.bench.notify(READ_ONLY_NOTICE)
            return True
        return False

    def run(self, action: str, from_palette: bool = False) -> None:
        if self.refused(action):
            return
        if from_palette and action in {"rename", "delete"} and not self.view.targets():
            active = self.bench.active_path()  # nothing chosen in the tree: the open file
            if active:
                self.view.reveal(active)
        if from_palette and action in {"newFile", "newFolder", "rename", "reveal"}:
            self.bench.layout.show_sidebar("explorer")
            # After the palette has closed and handed the focus back.
            asyncio.get_event_loop().call_later(0.05, lambda: self.run(action))
            return
        handler = {
            "newFile": lambda: self.begin_new(False),
            "newFolder": lambda: self.begin_new(True),
            "rename": self.begin_rename,
            "delete": self.ask_delete,
            "copy": lambda: self.set_clipboard(False),
            "cut": lambda: self.set_clipboard(True),
            "paste": self.paste,
            "download": self.transfer.download,
            "downloadZip": lambda: spawn(self.transfer.download_zip(), "download the project"),
            "copyPath": self.transfer.copy_path,
            "upload": self.tree.picker.click,
            "collapseAll": self.tree.collapse_all,
            "reveal": self.reveal_active,
            "undo": self.undo_delete,
        }.get(action)
        if handler is not None:
            handler()

    def key(self, key: str, ctrl: bool, shift: bool, alt: bool) -> bool:
        """Keys while the tree has the focus; True when handled."""
        focus = self.view.focus
        if ctrl and not alt and not shift:
            action = {"c": "copy", "x": "cut", "v": "paste", "z": "undo"}.get(key.lower())
            if key == "Backspace":  # Cmd+Backspace: delete, as on a Mac
                self.run("delete")
                return True
            if key.lower() == "a":
                self.view.selection = set(self.view.visible_paths())
                self.tree.draw()
                return True
            if action is not None:
                self.run(action)
                return True
            return False
        if ctrl or alt:
            return False
        if key == "ContextMenu" or (key == "F10" and shift):
            self.tree.open_menu_at_focus()
        elif shift:
            return False
        elif key == "F2":
            self.run("rename")
        elif key == "Delete":
            self.run("delete")
        elif key in {"Enter", " "} and focus is not None:
            if self.view.is_folder(focus):
                self.view.toggle(focus)
                self.tree.draw()
            else:
                self.bench.open_file(focus)
                if key == " ":  # Space only previews: the focus stays in the tree
                    self.tree.focus()
        elif key == "Escape" and (self.tree.cut or len(self.view.selection) > 1):
            self.tree.cut, self.clipboard = set(), None
            if focus is not None:
                self.view.select(focus)
            self.tree.draw()
        else:
            return False
        return True

    def menu_items(self) -> list[Item]:
        targets = self.view.targets()
        has, single = bool(targets), len(targets) == 1
        items = [
            Item("newFile", "New File…"),
            Item("newFolder", "New Folder…"),
            Item("rename", "Rename…", "F2", single, True),
            Item("delete", "Delete", "Delete", has),
            Item("copy", "Copy", "Ctrl+C", has, True),
            Item("cut", "Cut", "Ctrl+X", has),
            Item("paste", "Paste", "Ctrl+V", self.clipboard is not None),
            Item("download", "Download" if has else "Download Project as Zip", "", True, True),
            Item("copyPath", "Copy Path", "", has),
            Item("upload", "Upload Files…"),
        ]
        return [item for item in items if not (self.read_only and item.id in CHANGING)]

    # ------------------------------------------------------------ new and rename

    def begin_new(self, is_folder: bool) -> None:
        self._end_edit()
        folder = self.view.target_folder()
        index = self.view.begin_create(folder, is_folder)
        kind = "folder" if is_folder else "file"
        self._edit(
            InlineEdit(
                join(folder, PLACEHOLDER),
                "",
                f"New {kind} name",
                lambda name: validate_name(
                    name, self.bench.rules, folder, self.view.names_in(folder)
                ),
                lambda name: self._create(folder, name, is_folder),
                self._edit_done,
            ),
            index,
        )

    def _create(self, folder: str, name: str, is_folder: bool) -> None:
        ops = self.ops
        path = ops.create_folder(folder, name) if is_folder else ops.create_file(folder, name)
        self.view.end_create()
        if is_folder:
            self.tree.refresh()
        else:
            self.edited([path])
        self.tree.reveal(path)
        if not is_folder:
            self.bench.open_file(path)

    def begin_rename(self) -> None:
        path = self.view.focus
        if path is None or not self.view.exists(path):
            return
        self._end_edit()
        parent, current = parent_of(path), name_of(path)
        index = self.view.reveal(path)
        self._edit(
            InlineEdit(
                path,
                current,
                f"Rename {current}",
                lambda name: validate_name(
                    name, self.bench.rules, parent, self.view.names_in(parent), current=current
                ),
                lambda name: self._rename(path, name),
                self._edit_done,
            ),
            index,
        )

    def _rename(self, path: str, name: str) -> None:
        old, new = self.ops.rename(path, name)
        if old == new:
            return
        self._moved([(old, new)])

    def _edit(self, edit: InlineEdit, index: int | None) -> None:
        self.tree.edit = edit
        if index is not None:
            self.tree.scroll_to(index)
        self.tree.draw()
        edit.start()

    def _edit_done(self) -> None:
        self.tree.edit = None
        self.view.end_create()
        self.tree.draw()
        active = dom.document().activeElement
        if not dom.present(active) or active == dom.document().body:
            self.tree.focus()  # Enter or Escape: back to the row; a click elsewhere: stay there

    def _end_edit(self) -> None:
        if self.tree.edit is not None:
            self.tree.edit.finish()

    # ------------------------------------------------------------ delete and undo

    def ask_delete(self) -> None:
        targets = self.view.targets()
        if not targets:
            return
        kinds = {p: "folder" if self.view.is_folder(p) else "file" for p in targets}
        confirm_delete(targets, kinds, lambda: self.delete(targets))

    def delete(self, paths: list[str]) -> None:
        removed = self.ops.delete(paths)
        files = [path for path, _content, _binary in removed.files]
        self.undo = removed
        self.edited(files)
        what = f"“{name_of(paths[0])}”" if len(paths) == 1 else count(len(paths), "item")
        self.toast.show(f"Deleted {what}.", undo=True)
        self.bench.notify(f"Deleted {what}.", "info")
        self.tree.focus()

    def undo_delete(self) -> None:
        removed, self.undo = self.undo, None
        if removed is None:
            return
        skipped = self.ops.restore(removed)
        back = [path for path, _c, _b in removed.files if path not in skipped]
        self.edited(back)
        self.tree.refresh()
        self.view.selection = {p for p in removed.paths if self.view.exists(p)}
        self.tree.draw()
        note = f" ({count(len(skipped), 'file')} kept as they are now)" if skipped else ""
        self.toast.show(f"Restored {count(len(removed), 'item')}{note}.")
        self.bench.notify(f"Restored {count(len(removed), 'item')}{note}.", "info")

    # ------------------------------------------------------------ copy, cut, paste, move

    def set_clipboard(self, cut: bool) -> None:
        targets = self.view.targets()
        if not targets:
            return
        self.clipboard = (targets, cut)
        self.tree.cut = set(targets) if cut else set()
        self.tree.draw()
        verb = "Cut" if cut else "Copied"
        self.bench.notify(f"{verb} {count(len(targets), 'item')}; paste with Ctrl+V.", "info")

    def paste(self) -> None:
        if self.clipboard is None:
            return
        paths, cut = self.clipboard
        target = self.view.target_folder()
        if cut:
            if self.move(paths, target):
                self.clipboard, self.tree.cut = None, set()
            return
        # Pasting a folder into itself puts the copy beside it (as "name copy").
        for path in paths:
            if self.view.is_folder(path) and inside(target, path):
                target = parent_of(path)
        try:
            made = self.ops.copy(paths, target)
        except NameRefused as error:
            self.bench.notify(str(error), "error")
            return
        files = self.bench.model.files
        self.edited([p for p in files if any(inside(p, m) for m in made)])
        self.tree.refresh()
        self.tree.reveal(made[0])
        self.view.selection = set(made)
        self.tree.draw()

    def move(self, paths: list[str], target: str) -> bool:
        if self.refused("rename"):
            return False
        try:
            moves = self.ops.move(paths, target)
        except NameRefused as error:
            self.bench.notify(str(error), "error")
            return False
        if moves:
            self._moved(moves)
            self.view.selection = {new for _old, new in moves}
            self.tree.draw()
        return True

    def _moved(self, moves: list[tuple[str, str]]) -> None:
        changed: list[str] = []
        files = self.bench.model.files
        for old, new in moves:
            self.view.renamed(old, new)
            self.bench.renamed(old, new)
            moved = [p for p in files if inside(p, new)]
            changed += [old + p[len(new) :] for p in moved] + moved
        self.edited(changed)
        self.tree.refresh()
        self.tree.reveal(moves[-1][1])

    def reveal_active(self) -> None:
        path = self.bench.active_path()
        if path:
            self.tree.reveal(path)
            self.tree.focus()

    # ------------------------------------------------------------ plumbing

    def edited(self, paths: list[str]) -> None:
        """Tell the workbench every path that changed, once each (it redraws once)."""
        self.bench.edited(*dict.fromkeys(paths))

    def dispose(self) -> None:
        self.toast.dispose()
