"""Quick open (Ctrl+P): type part of a file's name, Enter opens it. `App.jsx:12` (or
`:12:5`) opens at that line and column, `:12` alone goes to a line of the open file, and
a leading `>` turns the box into the command palette, as in VS Code.

An empty box lists the files opened recently, so Ctrl+P then Enter goes back to the
previous file. That history is kept per project in localStorage.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Protocol

from client.core.fuzzy import PathIndex, split_location
from client.ffi import dom
from client.ui.picker import Item, Picker
from client.ui.ports import Opening, ProjectFiles

if TYPE_CHECKING:
    from client.ui.palette import CommandPalette

HISTORY = 50  # recently opened files remembered
GO_TO_LINE = re.compile(r":\s*(\d+)(?::(\d+))?\s*")


class QuickOpenBench(ProjectFiles, Opening, Protocol):
    """What quick open asks of the workbench: the files, and opening one."""


class QuickOpen:
    def __init__(self, bench: QuickOpenBench, palette: CommandPalette | None = None) -> None:
        self.bench, self.palette = bench, palette
        self.picker = Picker(
            "quick-open",
            "Search files by name (append :line to go to a line, or start with > for commands)",
            self._items,
            self._open,
        )
        self._index: PathIndex | None = None
        self._paths: set[str] = set()
        self._key = f"cospai-recent-{bench.project_id}"
        self.recent: list[str] = _load(dom.local_get(self._key))

    # ------------------------------------------------------------ what the workbench calls

    def show(self) -> None:
        self._remember(self.bench.active_path())
        self.picker.show("")

    def refresh(self) -> None:
        """The workbench redrew: if the box is open, the list follows the files."""
        if self.picker.is_open:
            self.picker.update()

    def dispose(self) -> None:
        self.picker.dispose()

    # ------------------------------------------------------------ the list

    def index(self) -> PathIndex:
        """Rebuilt only when the set of paths changed (a save or a sync keeps it)."""
        files = self.bench.model.files
        if self._index is None or files.keys() != self._paths:
            self._paths = set(files)
            ignored = self.bench.rules.ignored
            self._index = PathIndex(p for p in self._paths if not ignored(p))
        return self._index

    def _items(self, text: str) -> list[Item]:
        if text.startswith(">") and self.palette is not None:
            self.picker.hide(restore_focus=False)
            self.palette.show(text[1:])
            return []
        go_to = GO_TO_LINE.fullmatch(text)
        active = self.bench.active_path()
        if go_to is not None and active is not None:
            line, column = go_to.group(1), go_to.group(2)
            where = f"line {line}" + (f", column {column}" if column else "")
            return [Item(f"{active}:{line}", f"Go to {where}", detail=active)]
        query, _line, _column = split_location(text)
        # The current file last when nothing is typed: Enter goes back to the previous one.
        recent = [p for p in self.recent if p != active] + ([active] if active else [])
        matches = self.index().search(query, limit=60, recent=recent)
        items = []
        for match in matches:
            path = match.path
            cut = path.rfind("/") + 1
            items.append(
                Item(
                    value=path,
                    label=path[cut:],
                    label_marks=tuple(p - cut for p in match.positions if p >= cut),
                    detail=path[: cut - 1],
                    detail_marks=tuple(p for p in match.positions if p < cut - 1),
                )
            )
        return items

    def _open(self, item: Item, text: str) -> None:
        go_to = GO_TO_LINE.fullmatch(text)
        path: str | None = item.value
        line: int | None
        if go_to is not None:
            path = self.bench.active_path()
            line = int(go_to.group(1))
            column = int(go_to.group(2)) if go_to.group(2) else None
        else:
            _query, line, column = split_location(text)
        if path is None:
            return
        self._remember(path)
        self.bench.open_file(path, line, column)

    def _remember(self, path: str | None) -> None:
        if not path:
            return
        self.recent = [path, *(p for p in self.recent if p != path)][:HISTORY]
        dom.local_set(self._key, json.dumps(self.recent))


def _load(raw: str | None) -> list[str]:
    try:
        value: Any = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [p for p in value if isinstance(p, str)] if isinstance(value, list) else []
