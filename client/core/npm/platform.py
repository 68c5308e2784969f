"""Whether a package may be installed on this machine, by its `os`, `cpu` and `libc` lists,
as npm's checkPlatform decides: packages with native binaries name the platforms they run
on, and in the browser (os "browser", cpu "wasm32", no libc) none of them fits, so their
optional variants are skipped instead of unpacked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["BROWSER_CPU", "BROWSER_OS", "allowed", "check_list"]

BROWSER_OS = "browser"
BROWSER_CPU = "wasm32"


def check_list(value: str | None, listed: Any) -> bool:
    """npm's rule: no `!name` may match, and when any plain names are given one must match.
    A single "any" allows everything."""
    entries = [listed] if isinstance(listed, str) else list(listed or [])
    entries = [e for e in entries if isinstance(e, str)]
    if not entries or entries == ["any"]:
        return True
    negated = 0
    matched = False
    for entry in entries:
        if entry.startswith("!"):
            negated += 1
            if value == entry[1:]:
                return False
        elif value == entry:
            matched = True
    return matched or negated == len(entries)


def allowed(
    manifest: Mapping[str, Any],
    os: str = BROWSER_OS,
    cpu: str = BROWSER_CPU,
    libc: str | None = None,
) -> bool:
    """Whether `manifest` (a packument version or lockfile entry) may be installed here."""
    if manifest.get("os") and not check_list(os, manifest["os"]):
        return False
    if manifest.get("cpu") and not check_list(cpu, manifest["cpu"]):
        return False
    if manifest.get("libc"):
        return libc is not None and check_list(libc, manifest["libc"])
    return True
