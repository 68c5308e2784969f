"""What every setting read from the environment shares: the error that names a setting
which cannot be used, and the reading of whole numbers."""

from __future__ import annotations

from collections.abc import Mapping


class SettingsError(ValueError):
    """A setting cannot be used as given; the message names it and says what it wants."""


def whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise SettingsError(f"{name} must be a whole number, not {raw[:40]!r}")
    return int(raw)


def optional_number(env: Mapping[str, str], name: str) -> int | None:
    """A whole number from the environment, or None when the variable is unset or empty."""
    return whole_number(env, name, 0) if (env.get(name) or "").strip() else None
