"""Which engine runs a project: the per-project runtime setting (auto, WebContainer,
Pyodide) and what the page can do decide it. Auto prefers WebContainer (real Node, npm)
for projects with a package.json when the page is cross-origin isolated and the
WebContainer service has not already proved unreachable here; Pyodide otherwise. A
Python project that also has a package.json (its front end's packages, installed with
the Pyodide shell's own `npm`) stays on Pyodide: installing a package must not move the
project to another engine."""

from __future__ import annotations

from dataclasses import dataclass

AUTO, WEBCONTAINER, PYODIDE = "auto", "webcontainer", "pyodide"
SETTINGS = (AUTO, WEBCONTAINER, PYODIDE)
NAMES = {WEBCONTAINER: "WebContainer", PYODIDE: "Python (Pyodide)"}
PYTHON_MARKERS = frozenset({"requirements.txt", "pyproject.toml", "setup.py", "Pipfile"})
SETTING_LABELS = {AUTO: "Auto", WEBCONTAINER: "WebContainer (Node.js)", PYODIDE: "Python (Pyodide)"}


@dataclass(frozen=True)
class Choice:
    engine: str  # WEBCONTAINER or PYODIDE
    why: str  # one line, shown as the status bar item's tooltip

    @property
    def other(self) -> str:
        return PYODIDE if self.engine == WEBCONTAINER else WEBCONTAINER


def clean_setting(value: object) -> str:
    return value if isinstance(value, str) and value in SETTINGS else AUTO


def choose(
    setting: str,
    paths: set[str] | list[str],
    *,
    isolated: bool,
    webcontainer_known_unreachable: bool = False,
) -> Choice:
    setting = clean_setting(setting)
    if setting == WEBCONTAINER:
        return Choice(WEBCONTAINER, "chosen in the project's runtime setting")
    if setting == PYODIDE:
        return Choice(PYODIDE, "chosen in the project's runtime setting")
    if "package.json" not in paths:
        return Choice(PYODIDE, "auto: the project has no package.json")
    if any(p in PYTHON_MARKERS or (p.endswith(".py") and "/" not in p) for p in paths):
        return Choice(PYODIDE, "auto: a Python project (its shell has npm too)")
    if not isolated:
        return Choice(PYODIDE, "auto: this page is not cross-origin isolated")
    if webcontainer_known_unreachable:
        return Choice(PYODIDE, "auto: the WebContainer service was unreachable earlier")
    return Choice(WEBCONTAINER, "auto: the project has a package.json")
