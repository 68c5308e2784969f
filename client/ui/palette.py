"""The command palette (Ctrl+Shift+P, F1): every command of the workbench's registry,
fuzzy filtered, with its shortcut on the right; Enter runs it. The commands used last
come first when nothing is typed, as in VS Code."""

from __future__ import annotations

from typing import Protocol

from client.core.commands import Command, CommandRegistry
from client.core.fuzzy import PathIndex
from client.ui.picker import Item, Picker
from client.ui.ports import Notices

HISTORY = 10  # recently run commands listed first


class PaletteBench(Notices, Protocol):
    """What the palette asks of the workbench: its commands, and saying one failed."""

    commands: CommandRegistry


class CommandPalette:
    def __init__(self, bench: PaletteBench) -> None:
        self.bench = bench
        self.picker = Picker(
            "command-palette",
            "Type the name of a command to run",
            self._items,
            self._run,
            empty="No matching commands",
        )
        self.recent: list[str] = []  # command ids, most recent first
        self._index: tuple[int, PathIndex] | None = None

    def show(self, text: str = "") -> None:
        self.picker.show(text)

    def refresh(self) -> None:
        """Files changed: nothing to do (the command list is read when shown)."""

    def dispose(self) -> None:
        self.picker.dispose()

    def _items(self, text: str) -> list[Item]:
        registry = self.bench.commands
        if not text.strip():
            ordered = [c for i in self.recent if (c := registry.get(i)) is not None]
            rest = [c for c in registry.all() if c.id not in self.recent]
            return [self._item(c, ()) for c in [*ordered, *rest]]
        # The fuzzy index sees each label as a file name (a "/" in it, as in "Light/Dark",
        # becomes a look-alike that does not split it): a word's prefix then beats letters
        # scattered through it. Rebuilt when the commands change.
        commands = {_key(c.label): c for c in registry.all()}
        if self._index is None or self._index[0] != len(commands):
            self._index = (len(commands), PathIndex(commands))
        recent = [_key(c.label) for i in self.recent if (c := registry.get(i)) is not None]
        matches = self._index[1].search(text, limit=60, recent=recent)
        return [self._item(commands[m.path], m.positions) for m in matches]

    @staticmethod
    def _item(command: Command, marks: tuple[int, ...]) -> Item:
        return Item(
            value=command.id,
            label=command.label,
            label_marks=marks,
            hint=command.keys[0] if command.keys else "",
            data=(("command", command.id),),
        )

    def _run(self, item: Item, _text: str) -> None:
        self.recent = [item.value, *(i for i in self.recent if i != item.value)][:HISTORY]
        try:
            self.bench.commands.run(item.value)
        except Exception as error:  # a failing command must say so, not vanish
            self.bench.notify(f"{item.label} failed: {error}", "error")
            raise


def _key(label: str) -> str:
    """The label with "/" swapped for a look-alike of the same length (positions hold)."""
    return label.replace("/", "\u2215")
