"""Editor preferences a user sets once and keeps on every project of this browser: theme,
font size, word wrap, minimap, vim mode. Loaded defensively: a bad stored value falls back
to the default instead of breaking the editor."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

THEMES = ("auto", "light", "dark")
FONT_SIZES = (8, 32)


@dataclass
class Settings:
    KEY = "cospai-settings"

    theme: str = "auto"
    font_size: int = 13
    word_wrap: bool = False
    minimap: bool = False
    vim: bool = False

    def update(self, name: str, value: object) -> None:
        """Set one preference, checked and clamped; unknown names are refused."""
        if name == "theme":
            if value not in THEMES:
                raise ValueError(f"theme must be one of {', '.join(THEMES)}")
            self.theme = str(value)
        elif name == "font_size":
            if not isinstance(value, (str, int, float)):
                raise TypeError(f"font_size must be a number, not {type(value).__name__}")
            low, high = FONT_SIZES
            self.font_size = max(low, min(high, int(value)))
        elif name in {"word_wrap", "minimap", "vim"}:
            setattr(self, name, bool(value))
        else:
            raise KeyError(name)

    def apply_theme(self, set_theme: Callable[[str], None]) -> None:
        set_theme(self.theme)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def load(cls, raw: str | None) -> Settings:
        settings = cls()
        try:
            data: Any = json.loads(raw) if raw else {}
        except ValueError:
            return settings
        if not isinstance(data, dict):
            return settings
        for name, value in data.items():
            try:
                settings.update(name, value)
            except (KeyError, ValueError, TypeError):
                continue  # one bad value costs that value only
        return settings
