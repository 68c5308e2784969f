"""Which engine runs a project (client/core/engine_choice.py), and the setting kept with
the project's layout (client/core/layout_state.py)."""

from __future__ import annotations

import json

from client.core.engine_choice import AUTO, PYODIDE, WEBCONTAINER, Choice, choose, clean_setting
from client.core.layout_state import Layout
from client.core.terminal_state import node_run_line

NODE = {"package.json", "src/App.jsx"}
PYTHON = {"main.py"}


def test_auto_prefers_webcontainer_for_a_package_json_where_it_can_run() -> None:
    assert choose(AUTO, NODE, isolated=True).engine == WEBCONTAINER
    assert "package.json" in choose(AUTO, NODE, isolated=True).why
    assert choose(AUTO, PYTHON, isolated=True) == Choice(
        PYODIDE, "auto: the project has no package.json"
    )
    assert choose(AUTO, {"web/package.json"}, isolated=True).engine == PYODIDE  # root only
    not_isolated = choose(AUTO, NODE, isolated=False)
    assert not_isolated.engine == PYODIDE and "cross-origin isolated" in not_isolated.why
    unreachable = choose(AUTO, NODE, isolated=True, webcontainer_known_unreachable=True)
    assert unreachable.engine == PYODIDE and "unreachable" in unreachable.why


def test_an_explicit_setting_wins_and_the_other_engine_is_offered() -> None:
    chosen = choose(WEBCONTAINER, PYTHON, isolated=False)
    assert chosen.engine == WEBCONTAINER and chosen.other == PYODIDE
    assert choose(PYODIDE, NODE, isolated=True).engine == PYODIDE
    assert choose(PYODIDE, NODE, isolated=True).other == WEBCONTAINER
    assert choose("nonsense", NODE, isolated=True).engine == WEBCONTAINER  # read as auto


def test_the_setting_is_kept_with_the_layout_and_cleaned_on_load() -> None:
    assert Layout().runtime == AUTO
    layout = Layout()
    layout.runtime = PYODIDE
    assert Layout.from_json(layout.to_json()).runtime == PYODIDE
    assert Layout.from_json(json.dumps({"runtime": "docker"})).runtime == AUTO
    assert Layout.from_json(json.dumps({"runtime": 3})).runtime == AUTO
    assert clean_setting(WEBCONTAINER) == WEBCONTAINER and clean_setting(None) == AUTO


def test_run_under_webcontainer_uses_the_package_scripts_or_the_open_file() -> None:
    both = b'{"scripts": {"start": "node server.js", "dev": "vite"}}'
    assert node_run_line(both, None) == "npm run dev"
    assert node_run_line(b'{"scripts": {"start": "node s.js"}}', "a.js") == "npm start"
    assert node_run_line(b'{"scripts": {"test": "x"}}', "src/my app.mjs") == "node 'src/my app.mjs'"
    assert node_run_line(b"not json", "index.js") == "node index.js"
    assert node_run_line(b"[1]", None) is None
    assert node_run_line(None, "main.py") is None


def test_a_python_project_with_a_package_json_stays_on_pyodide() -> None:
    for marker in ("main.py", "requirements.txt", "pyproject.toml"):
        choice = choose(AUTO, {"package.json", "package-lock.json", marker}, isolated=True)
        assert choice == Choice(PYODIDE, "auto: a Python project (its shell has npm too)")
    # A .py file deep in a Node project (a build script) does not make it a Python one.
    assert choose(AUTO, NODE | {"scripts/gen.py"}, isolated=True).engine == WEBCONTAINER
