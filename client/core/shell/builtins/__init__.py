"""The builtin commands, each module a family; `install` puts them all in a registry.

They follow the same protocol as the engine's commands (commands.py), so a builtin and a
registered command are told apart only by `CommandSpec.builtin` (which `which` reports)."""

from __future__ import annotations

from ..commands import Registry
from . import files, grep, listing, session, text, walk

FAMILIES = (session, files, listing, walk, text, grep)


def install(registry: Registry) -> None:
    for family in FAMILIES:
        for name, (handler, summary) in family.COMMANDS.items():
            registry.register(name, handler, summary, builtin=True)


def names() -> list[str]:
    return sorted(name for family in FAMILIES for name in family.COMMANDS)
