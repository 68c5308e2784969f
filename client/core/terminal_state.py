"""The terminal panel's rules, apart from the DOM: tab names, the history kept per project,
what the Run button runs, and the colours xterm gets in each theme."""

from __future__ import annotations

import json

from client.core.runtime import quote

HISTORY_LIMIT = 1000
SCROLLBACK = 5000
ENTRY_NAMES = ("main.py", "app.py", "src/main.py", "__main__.py")


def next_name(taken: list[str]) -> str:
    """ "Terminal N" with the smallest N not shown on a tab."""
    number = 1
    while f"Terminal {number}" in taken:
        number += 1
    return f"Terminal {number}"


def clean_name(typed: str, fallback: str) -> str:
    """A tab name as typed (one line, trimmed, at most 40 characters), or the old one."""
    name = " ".join(typed.split())[:40]
    return name or fallback


def main_entry(paths: list[str] | set[str], active: str | None) -> str | None:
    """What Run runs: the Python file open in the editor, else main.py / app.py."""
    if active is not None and active.endswith(".py") and active in paths:
        return active
    for name in ENTRY_NAMES:
        if name in paths:
            return name
    return None


def run_line(entry: str) -> str:
    return f"python {quote(entry)}"


def node_run_line(package_json: bytes | None, active: str | None) -> str | None:
    """What Run types under WebContainer: the package's `dev` script, else its `start`,
    else `node` on the JavaScript file open in the editor."""
    try:
        scripts = json.loads(package_json or b"{}").get("scripts")
    except (ValueError, AttributeError):
        scripts = None
    if isinstance(scripts, dict):
        if "dev" in scripts:
            return "npm run dev"
        if "start" in scripts:
            return "npm start"
    if active is not None and active.endswith((".js", ".mjs", ".cjs")):
        return f"node {quote(active)}"
    return None


class SharedHistory:
    """One project's command lines across its terminals and reloads (newest last)."""

    def __init__(self, saved: str | None) -> None:
        try:
            loaded = json.loads(saved) if saved else []
        except ValueError:
            loaded = []
        lines = loaded if isinstance(loaded, list) else []
        self.lines: list[str] = [line for line in lines if isinstance(line, str)]

    def add(self, line: str) -> None:
        line = line.rstrip("\n")
        if not line.strip() or (self.lines and self.lines[-1] == line):
            return
        self.lines.append(line)
        del self.lines[:-HISTORY_LIMIT]

    def to_json(self) -> str:
        return json.dumps(self.lines)


def xterm_theme(dark: bool) -> dict[str, str]:
    if dark:
        return {
            "background": "#1e1e1e",
            "foreground": "#d4d4d4",
            "cursor": "#d4d4d4",
            "selectionBackground": "#264f78",
            "blue": "#569cd6",
            "brightBlue": "#7fb6ff",
        }
    return {
        "background": "#ffffff",
        "foreground": "#1f2328",
        "cursor": "#1f2328",
        "selectionBackground": "#add6ff",
        "blue": "#0550ae",
        "brightBlue": "#0969da",
    }
