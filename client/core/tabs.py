"""The editor's open tabs: order, the active one, which to show when one closes (the
most recently used, as VS Code does), and which file a project shows first. Pure data;
the view draws it."""

from __future__ import annotations


class TabList:
    def __init__(self, paths: list[str] | None = None, active: str | None = None) -> None:
        self.paths: list[str] = list(dict.fromkeys(paths or []))
        self._recent: list[str] = list(self.paths)  # least recent first
        self.active: str | None = None
        if active in self.paths:
            self.activate(active)
        elif self.paths:
            self.activate(self.paths[-1])

    def activate(self, path: str) -> None:
        if path not in self.paths:
            raise KeyError(path)
        self.active = path
        if path in self._recent:
            self._recent.remove(path)
        self._recent.append(path)

    def open(self, path: str) -> None:
        """Show a tab for `path`, new ones just right of the active tab."""
        if path not in self.paths:
            at = self.paths.index(self.active) + 1 if self.active in self.paths else len(self.paths)
            self.paths.insert(at, path)
        self.activate(path)

    def close(self, path: str) -> str | None:
        """Close one tab; returns the tab now active (None when none is left)."""
        if path not in self.paths:
            return self.active
        self.paths.remove(path)
        self._recent.remove(path)
        if self.active == path:
            self.active = self._recent[-1] if self._recent else None
        return self.active

    def close_others(self, keep: str) -> list[str]:
        closed = [p for p in self.paths if p != keep]
        for path in closed:
            self.close(path)
        if keep in self.paths:
            self.activate(keep)
        return closed

    def move(self, path: str, index: int) -> None:
        """Put `path` at position `index` (counted before the move, as a drop target is)."""
        if path not in self.paths:
            return
        old = self.paths.index(path)
        index = max(0, min(len(self.paths), index))
        self.paths.remove(path)
        self.paths.insert(index - 1 if index > old else index, path)

    def rename(self, old: str, new: str) -> None:
        """A file or folder moved: tabs of it (or inside it) follow, keeping their place."""

        def moved(path: str) -> str:
            if path == old:
                return new
            if path.startswith(old + "/"):
                return new + path[len(old) :]
            return path

        self.paths = list(dict.fromkeys(moved(p) for p in self.paths))
        self._recent = list(dict.fromkeys(moved(p) for p in self._recent))
        if self.active is not None:
            self.active = moved(self.active)

    def keep_only(self, existing: set[str]) -> list[str]:
        """Close tabs whose files are gone; returns the closed paths."""
        gone = [p for p in self.paths if p not in existing]
        for path in gone:
            self.close(path)
        return gone


def default_file(paths: list[str]) -> str:
    """The file to show first in a project nobody has opened here: a README or an entry
    point, else the first file in tree order."""
    preferred = (
        "README.md",
        "readme.md",
        "index.html",
        "main.py",
        "src/App.jsx",
        "src/main.jsx",
        "index.js",
        "src/index.ts",
    )
    for name in preferred:
        if name in paths:
            return name
    return sorted(paths, key=lambda p: (p.count("/"), p.casefold()))[0]
