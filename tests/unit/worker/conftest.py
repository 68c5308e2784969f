"""A shell rooted at a temporary project with `python` and `pip` installed, its terminal
kept as text, terminal input typed ahead, and a fake micropip-like installer. Coroutines
are stepped by hand (the fake installer never waits), as in the shell's own tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from client.core.shell import Shell
from client.worker import serve as serving
from client.worker.commands import install
from client.worker.host import Host, InstallError
from client.worker.micropip_installer import explain
from client.worker.requirements import canonical, requirement_name
from tests.unit.shell.conftest import Terminal as ShellTerminal

# What the fake index offers: name → (version, dependencies).
INDEX = {
    "rich": ("15.0.0", ["markdown-it-py", "pygments"]),
    "markdown-it-py": ("4.3.0", ["mdurl"]),
    "mdurl": ("0.1.2", []),
    "pygments": ("2.21.0", []),
    "click": ("8.5.1", []),
    "attrs": ("26.1.0", []),
}
COMPILED = {"numpy"}


@dataclass
class FakeInstaller:
    """micropip's behaviour as pip_cmd sees it, with micropip's own error texts."""

    packages: dict[str, str] = field(default_factory=lambda: {"micropip": "0.11.1"})
    calls: list[tuple[list[str], bool, bool]] = field(default_factory=list)
    # Like the worker's micropip, which loads after the prompt: unusable until ready().
    loaded: bool = False

    async def ready(self) -> None:
        self.loaded = True

    def _check_loaded(self) -> None:
        assert self.loaded, "pip used the installer before awaiting ready()"

    async def install(
        self, requirements: list[str], *, deps: bool = True, pre: bool = False
    ) -> None:
        self._check_loaded()
        self.calls.append((list(requirements), deps, pre))
        todo, chosen = list(requirements), {}
        while todo:
            spec = todo.pop(0)
            name = canonical(requirement_name(spec) or spec)
            if name in COMPILED:
                raise InstallError(
                    explain(
                        f"Can't find a pure Python 3 wheel for '{name}'.\n"
                        "See: https://example.invalid/faq\n"
                    )
                )
            if name not in INDEX:
                message = f"Can't fetch metadata for '{name}'. Please make sure..."
                raise InstallError(explain(message))
            version, needs = INDEX[name]
            if "==" in spec:
                version = spec.split("==", 1)[1].strip()
            chosen[name] = version
            todo += needs if deps else []
        pinned = {canonical(r.split("==")[0]) for r in requirements if "==" in r}
        for name, version in chosen.items():  # a pin replaces (micropip's reinstall=True)
            if name in pinned or name not in self.packages:
                self.packages[name] = version

    def uninstall(self, names: list[str]) -> None:
        self._check_loaded()
        for name in names:
            self.packages.pop(name, None)

    def installed(self) -> dict[str, str]:
        self._check_loaded()
        return dict(self.packages)

    def version(self) -> str:
        self._check_loaded()
        return "0.11.1"


class Terminal(ShellTerminal):
    """The shell's test terminal with `python` and `pip` installed over a fake installer."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out: list[str] = []
        self.err: list[str] = []
        # Answers the blocking reads of input() and the REPL; an exception is raised there.
        self.typed: list[str | BaseException] = []  # type: ignore[assignment]
        self.installer = FakeInstaller()
        self.host = Host(project=str(root), read_line=self._blocking_read, installer=self.installer)
        self.streams = self.make_streams(columns=80)
        self.shell = Shell(str(root), env={"HOME": str(root)}, streams=self.streams)
        install(self.shell, self.host)

    def _blocking_read(self) -> str | None:
        item = self.typed.pop(0) if self.typed else None
        if isinstance(item, BaseException):
            raise item
        return item

    async def _read_line(self) -> str | None:
        return self._blocking_read()


@pytest.fixture
def term(tmp_path: Path) -> Terminal:
    return Terminal(tmp_path)


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ports serve() tells the page about, kept here; and no app left from another test.
    The serve() tests' modules use it for every test (pytestmark)."""
    ports: list[int] = []
    monkeypatch.setattr(serving, "announce", ports.append)
    monkeypatch.setattr(serving, "APPS", {})
    return ports
