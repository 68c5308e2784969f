"""Every workbench action as a named command with its shortcut: the keyboard handler, the
command palette and the menus all read this one registry, so a shortcut shown is a
shortcut that works."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MODIFIERS = ("Ctrl", "Shift", "Alt")


@dataclass(frozen=True)
class Command:
    id: str
    title: str
    run: Callable[[], object]
    keys: tuple[str, ...] = ()  # chords such as "Ctrl+Shift+P"; the first is shown
    category: str = ""

    @property
    def label(self) -> str:
        return f"{self.category}: {self.title}" if self.category else self.title


def chord(
    key: str, ctrl: bool = False, shift: bool = False, alt: bool = False, meta: bool = False
) -> str:
    """A keydown as a chord string. Cmd on a Mac counts as Ctrl, as in VS Code's defaults.
    Letters are upper-cased so Shift+P and P name one key."""
    name = {" ": "Space", "Esc": "Escape", "Control": "Ctrl", "Meta": "Ctrl"}.get(key, key)
    if len(name) == 1:
        name = name.upper()
    held = [m for m, on in zip(MODIFIERS, (ctrl or meta, shift, alt), strict=True) if on]
    return "+".join([*held, name]) if name not in MODIFIERS else "+".join(held)


def normalise(keys: str) -> str:
    """'shift+ctrl+p' -> 'Ctrl+Shift+P', so registrations may be written in any order."""
    parts = [p.strip() for p in keys.split("+") if p.strip()]
    mods = {p.capitalize() for p in parts[:-1]}
    if "Cmd" in mods or "Meta" in mods:
        mods = (mods - {"Cmd", "Meta"}) | {"Ctrl"}
    unknown = mods - set(MODIFIERS)
    if unknown:
        raise ValueError(f"unknown modifier in {keys!r}: {', '.join(sorted(unknown))}")
    key = parts[-1] if parts else ""
    key = key.upper() if len(key) == 1 else key
    return "+".join([*(m for m in MODIFIERS if m in mods), key])


class CommandRegistry:
    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}
        self._by_chord: dict[str, str] = {}

    def add(
        self,
        id: str,
        title: str,
        run: Callable[[], object],
        keys: str | tuple[str, ...] = (),
        category: str = "",
    ) -> Command:
        chords = tuple(normalise(k) for k in ((keys,) if isinstance(keys, str) else keys))
        for c in chords:
            owner = self._by_chord.get(c)
            if owner is not None and owner != id:
                raise ValueError(f"{c} is already bound to {owner}")
        command = Command(id, title, run, chords, category)
        self._commands[id] = command
        for c in chords:
            self._by_chord[c] = id
        return command

    def get(self, id: str) -> Command | None:
        return self._commands.get(id)

    def all(self) -> list[Command]:
        return sorted(self._commands.values(), key=lambda c: c.label.casefold())

    def for_chord(self, pressed: str) -> Command | None:
        id = self._by_chord.get(pressed)
        return self._commands.get(id) if id is not None else None

    def run(self, id: str) -> bool:
        command = self._commands.get(id)
        if command is None:
            return False
        command.run()
        return True
