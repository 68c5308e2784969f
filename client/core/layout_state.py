"""The workbench layout a user arranged (panel sizes, hidden panels, sidebar view), the
open tabs and the runtime setting, per project: plain data, clamped on load so a bad
stored value never breaks the page, serialised to JSON for localStorage."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from client.core.engine_choice import AUTO, clean_setting

# Each size: (default, smallest, largest) in CSS pixels.
SIZES = {
    "sidebar": (240, 140, 700),
    "preview": (380, 180, 1400),
    "bottom": (220, 80, 1000),
}
PANELS = ("sidebar", "preview", "bottom")
SIDEBAR_VIEWS = ("explorer", "search")


def clamp(panel: str, value: object) -> int:
    default, low, high = SIZES[panel]
    if not isinstance(value, (str, int, float)):
        return default  # stored JSON: null, a list... is no size
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


@dataclass
class Layout:
    sizes: dict[str, int] = field(default_factory=lambda: {k: v[0] for k, v in SIZES.items()})
    hidden: list[str] = field(default_factory=lambda: ["preview"])
    sidebar_view: str = "explorer"
    tabs: list[str] = field(default_factory=list)
    active: str | None = None
    runtime: str = AUTO  # the project's engine setting (client/core/engine_choice.py)

    def resize(self, panel: str, value: float) -> int:
        self.sizes[panel] = clamp(panel, value)
        return self.sizes[panel]

    def visible(self, panel: str) -> bool:
        return panel not in self.hidden

    def toggle(self, panel: str, show: bool | None = None) -> bool:
        """Show or hide a panel (flip when `show` is None); returns whether it is shown."""
        shown = (not self.visible(panel)) if show is None else show
        self.hidden = [p for p in self.hidden if p != panel] + ([] if shown else [panel])
        return shown

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | None) -> Layout:
        layout = cls()
        if not raw:
            return layout
        try:
            data: Any = json.loads(raw)
        except ValueError:
            return layout
        if not isinstance(data, dict):
            return layout
        sizes = data.get("sizes")
        if isinstance(sizes, dict):
            for panel in SIZES:
                if panel in sizes:
                    layout.sizes[panel] = clamp(panel, sizes[panel])
        hidden = data.get("hidden")
        if isinstance(hidden, list):
            layout.hidden = [p for p in PANELS if p in hidden]
        if data.get("sidebar_view") in SIDEBAR_VIEWS:
            layout.sidebar_view = data["sidebar_view"]
        tabs = data.get("tabs")
        if isinstance(tabs, list):
            layout.tabs = list(dict.fromkeys(t for t in tabs if isinstance(t, str)))
        active = data.get("active")
        layout.active = active if isinstance(active, str) and active in layout.tabs else None
        layout.runtime = clean_setting(data.get("runtime"))
        return layout
