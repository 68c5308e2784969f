"""The file tree as data: which folders are open, the rows that are visible, selection,
focus and keyboard moves. The view draws only the rows on screen from this.

Built for 20,000 files: the children of every folder are indexed once per change of the
set of paths (one pass, no scan per folder per render), each folder's listing is sorted
the first time it is opened, and the flat list of visible rows is computed only when
something that shapes it changed (a folder opened or closed, a path came or went).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Set
from dataclasses import dataclass

from client.core.names import inside, join, name_of, parent_of
from contract.rules import SyncRules

# The name of the row holding the input of a new file or folder. No real path holds a NUL
# (control characters are refused), so it never collides with a file.
PLACEHOLDER = "\0new"

# The keys navigate() understands (KeyboardEvent.key values).
NAV_KEYS = frozenset(
    {"ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"}
)


@dataclass(frozen=True)
class Row:
    path: str
    name: str
    depth: int  # 0 for the root's children
    is_folder: bool
    ignored: bool  # kept here, never synced: drawn dimmed
    expanded: bool = False
    placeholder: bool = False


def sort_key(name: str) -> tuple[str, str]:
    return name.casefold(), name


def visible_window(
    scroll_top: float, height: float, row_height: int, count: int, overscan: int
) -> tuple[int, int]:
    """[first, end) of the rows to draw for a scroll position, with `overscan` rows of
    margin each side so a fast scroll does not show a blank strip before the next frame."""
    if count <= 0:
        return 0, 0
    first = max(0, int(scroll_top // row_height) - overscan)
    end = min(count, int((scroll_top + height) // row_height) + 1 + overscan)
    return min(first, count), max(end, min(first, count))


class TreeView:
    def __init__(self, rules: SyncRules) -> None:
        self.rules = rules
        self.expanded: set[str] = set()
        # Folders the user made that no file is in yet (the model has no folders). The ui
        # layer persists this per project; it shrinks by itself when a file lands inside.
        self.local_folders: set[str] = set()
        self.selection: set[str] = set()
        self.anchor: str | None = None  # where a Shift-range starts
        self.focus: str | None = None
        self.creating: tuple[str, bool] | None = None  # (folder, is_folder) of a new entry
        self.index_builds = 0  # how often the index was built (tests check it stays low)
        self._paths: set[str] = set()
        self._local_seen: frozenset[str] = frozenset()
        self._files_in: dict[str, list[str]] = {"": []}
        self._dirs_in: dict[str, set[str]] = {"": set()}
        self._sorted: dict[str, list[tuple[str, bool]]] = {}
        self._rows: list[tuple[str, int, bool]] | None = None
        self._row_of: dict[str, int] | None = None

    # ------------------------------------------------------------ the index

    def set_files(self, paths: Collection[str]) -> bool:
        """The model's paths (e.g. `model.files.keys()`). Rebuilds the index only when the
        set of paths or of local folders changed; returns whether it did."""
        if not isinstance(paths, Set):
            paths = set(paths)
        # dict keys compare with a set in C, so an unchanged model costs next to nothing.
        if self._paths == paths and self._local_seen == self.local_folders:
            return False
        self._paths = set(paths)
        self._build()
        return True

    def _build(self) -> None:
        self.index_builds += 1
        self._files_in, self._dirs_in, self._sorted = {"": []}, {"": set()}, {}
        for path in self._paths:
            parent, _, name = path.rpartition("/")
            names = self._files_in.get(parent)
            if names is None:
                self._add_folder(parent)
                names = self._files_in[parent]
            names.append(name)
        # A local folder that a file now lives in (or under) exists anyway: forget it.
        self.local_folders.difference_update([f for f in self.local_folders if f in self._dirs_in])
        for folder in self.local_folders:
            self._add_folder(folder)
        self._local_seen = frozenset(self.local_folders)
        self.expanded.intersection_update(self._dirs_in)
        self.selection.intersection_update(self._dirs_in.keys() | self._paths)
        if self.creating is not None and self.creating[0] not in self._dirs_in:
            self.creating = None
        if self.focus is not None and not self.exists(self.focus):
            # Gone (deleted here or elsewhere): the nearest folder above that remains.
            folder = parent_of(self.focus)
            while folder and folder not in self._dirs_in:
                folder = parent_of(folder)
            self.focus = folder or None
        self._changed()

    def _add_folder(self, folder: str) -> None:
        """Index `folder` and the folders above it that are not indexed yet."""
        missing = []
        while folder not in self._dirs_in:
            missing.append(folder)
            folder = parent_of(folder)
        for path in reversed(missing):
            self._files_in[path] = []
            self._dirs_in[path] = set()
            self._dirs_in[parent_of(path)].add(name_of(path))

    def _changed(self) -> None:
        self._rows = None
        self._row_of = None

    def is_folder(self, path: str) -> bool:
        return path in self._dirs_in

    def exists(self, path: str) -> bool:
        return path in self._paths or path in self._dirs_in

    def children(self, folder: str) -> list[tuple[str, bool]]:
        """(name, is_folder) inside `folder`: folders first, then files, case-insensitive."""
        listing = self._sorted.get(folder)
        if listing is None:
            dirs = sorted(self._dirs_in.get(folder, ()), key=sort_key)
            files = sorted(self._files_in.get(folder, ()), key=sort_key)
            listing = [(d, True) for d in dirs] + [(f, False) for f in files]
            self._sorted[folder] = listing
        return listing

    def names_in(self, folder: str) -> list[str]:
        return [name for name, _ in self.children(folder)]

    # ------------------------------------------------------------ rows

    def _flat(self) -> list[tuple[str, int, bool]]:
        if self._rows is None:
            self._rows = list(self._walk())
        return self._rows

    def _walk(self) -> Iterator[tuple[str, int, bool]]:
        """Depth-first over open folders, with an explicit stack (paths may nest deeper
        than the interpreter's recursion allows)."""
        stack = [self._entries("")]
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            path, is_folder = entry
            yield path, len(stack) - 1, is_folder
            if is_folder and path in self.expanded:
                stack.append(self._entries(path))

    def _entries(self, folder: str) -> Iterator[tuple[str, bool]]:
        if self.creating is not None and self.creating[0] == folder:
            yield join(folder, PLACEHOLDER), self.creating[1]
        for name, is_folder in self.children(folder):
            yield join(folder, name), is_folder

    @property
    def count(self) -> int:
        return len(self._flat())

    def row(self, index: int) -> Row:
        path, depth, is_folder = self._flat()[index]
        placeholder = name_of(path) == PLACEHOLDER
        return Row(
            path,
            "" if placeholder else name_of(path),
            depth,
            is_folder,
            self.ignored(path, is_folder),
            is_folder and path in self.expanded,
            placeholder,
        )

    def rows(self, first: int = 0, end: int | None = None) -> list[Row]:
        end = self.count if end is None else min(end, self.count)
        return [self.row(i) for i in range(max(0, first), end)]

    def index_of(self, path: str) -> int | None:
        if self._row_of is None:
            self._row_of = {p: i for i, (p, _d, _f) in enumerate(self._flat())}
        return self._row_of.get(path)

    def ignored(self, path: str, is_folder: bool) -> bool:
        if is_folder:
            return any(s.casefold() in self.rules.ignored_folders for s in path.split("/"))
        return self.rules.ignored(path)

    def visible_paths(self) -> list[str]:
        return [p for p, _d, _f in self._flat()]

    # ------------------------------------------------------------ open and close

    def expand(self, folder: str) -> None:
        if folder and folder in self._dirs_in and folder not in self.expanded:
            self.expanded.add(folder)
            self._changed()

    def collapse(self, folder: str) -> None:
        if folder in self.expanded:
            self.expanded.discard(folder)
            self._changed()
            if self.focus is not None and self.focus != folder and inside(self.focus, folder):
                self.focus = folder  # the focus never hides inside a closed folder

    def toggle(self, folder: str) -> None:
        if folder in self.expanded:
            self.collapse(folder)
        else:
            self.expand(folder)

    def collapse_all(self) -> None:
        self.expanded.clear()
        self._changed()
        if self.focus is not None:
            self.focus = self.focus.split("/")[0]

    def reveal(self, path: str) -> int | None:
        """Open the folders above `path`, focus and select it; its row index (or None)."""
        if not self.exists(path):
            return None
        folder = parent_of(path)
        while folder:
            self.expand(folder)
            folder = parent_of(folder)
        self.select(path)
        return self.index_of(path)

    # ------------------------------------------------------------ new entries

    def begin_create(self, folder: str, is_folder: bool) -> int | None:
        """Show an input row first inside `folder` (opened, with its parents)."""
        if folder not in self._dirs_in:
            folder = ""
        if folder:
            self.reveal(folder)
            self.expand(folder)
        self.creating = (folder, is_folder)
        self._changed()
        return self.index_of(join(folder, PLACEHOLDER))

    def end_create(self) -> None:
        if self.creating is not None:
            self.creating = None
            self._changed()

    def target_folder(self) -> str:
        """Where New File and Paste go: the focused folder, or the focused file's folder."""
        if self.focus is None or not self.exists(self.focus):
            return ""
        return self.focus if self.is_folder(self.focus) else parent_of(self.focus)

    # ------------------------------------------------------------ selection

    def select(self, path: str, mode: str = "single") -> None:
        """mode: 'single' (a click), 'toggle' (Ctrl+click), 'range' (Shift+click)."""
        if mode == "toggle":
            self.selection ^= {path}
            self.anchor = path
        elif mode == "range" and self.anchor is not None:
            self.selection = set(self._between(self.anchor, path))
        else:
            self.selection = {path}
            self.anchor = path
        self.focus = path

    def _between(self, a: str, b: str) -> list[str]:
        i, j = self.index_of(a), self.index_of(b)
        if i is None or j is None:
            return [b]
        lo, hi = min(i, j), max(i, j)
        return [p for p, _d, _f in self._flat()[lo : hi + 1]]

    def selected(self) -> list[str]:
        """The selection in the order shown (rows hidden in closed folders last)."""
        order = {p: i for i, p in enumerate(self.visible_paths()) if p in self.selection}
        return sorted(self.selection, key=lambda p: (order.get(p, len(order)), p))

    def targets(self) -> list[str]:
        """What an action applies to: the selection when the focus is in it, else the
        focused row alone (VS Code: right-clicking outside the selection acts on one)."""
        if self.focus is not None and self.focus in self.selection:
            return self.selected()
        return [self.focus] if self.focus is not None else []

    # ------------------------------------------------------------ keyboard

    def navigate(self, key: str, shift: bool = False, page: int = 10) -> bool:
        """Move the focus for an arrow/Home/End/Page key; False for other keys. Up and
        down move the selection with the focus (Shift extends it from the anchor); left
        closes a folder or goes to the parent, right opens a folder or goes inside."""
        if key not in NAV_KEYS:
            return False
        count = self.count
        if count == 0:
            return True
        focus = self.focus
        current = self.index_of(focus) if focus is not None else None
        if key in {"ArrowLeft", "ArrowRight"}:
            if focus is not None and current is not None:
                self._sideways(key == "ArrowRight", focus)
            else:
                self._go(0, False)
            return True
        if current is None:
            target = count - 1 if key in {"End", "ArrowUp"} else 0
        else:
            target = {
                "ArrowUp": current - 1,
                "ArrowDown": current + 1,
                "Home": 0,
                "End": count - 1,
                "PageUp": current - page,
                "PageDown": current + page,
            }[key]
        self._go(max(0, min(count - 1, target)), shift)
        return True

    def _sideways(self, right: bool, path: str) -> None:
        is_folder = self.is_folder(path)
        if right:
            if not is_folder:
                return
            if path not in self.expanded:
                self.expand(path)
            elif self.children(path):
                self.select(join(path, self.children(path)[0][0]))
            return
        if is_folder and path in self.expanded:
            self.collapse(path)
        elif parent_of(path):
            self.select(parent_of(path))

    def _go(self, index: int, extend: bool) -> None:
        path = self._flat()[index][0]
        self.select(path, "range" if extend else "single")

    # ------------------------------------------------------------ other views' changes

    def renamed(self, old: str, new: str) -> None:
        """Open folders, selection and focus follow a rename or move."""

        def moved(path: str) -> str:
            return new + path[len(old) :] if inside(path, old) else path

        self.expanded = {moved(p) for p in self.expanded}
        self.selection = {moved(p) for p in self.selection}
        self.focus = moved(self.focus) if self.focus is not None else None
        self.anchor = moved(self.anchor) if self.anchor is not None else None
        self._changed()
