"""package.json as npm saves it after `npm install NAME` / `npm uninstall NAME`."""

from __future__ import annotations

import pytest

from client.core.npm.manifest import (
    ManifestError,
    add_dependency,
    dumps,
    loads,
    remove_dependency,
)


def test_key_order_indent_and_newline_are_kept() -> None:
    text = '{\n    "name": "p",\n    "scripts": {"dev": "vite"},\n    "version": "1.0.0"\n}\n'
    pkg = add_dependency(loads(text), "zod", "^3.0.0")
    out = dumps(pkg, text)
    assert list(pkg) == ["name", "scripts", "version", "dependencies"]
    assert out.startswith('{\n    "name": "p",') and out.endswith("}\n")
    assert dumps({"a": 1}) == '{\n  "a": 1\n}\n'
    assert dumps({"a": 1}, '{\r\n  "a": 0\r\n}\r\n') == '{\r\n  "a": 1\r\n}\r\n'


def test_maps_are_sorted_and_types_move_as_npm_moves_them() -> None:
    pkg = {"dependencies": {"react": "^18"}, "devDependencies": {"vite": "^5", "@types/x": "1"}}
    add_dependency(pkg, "axios", "^1.7.0")
    assert list(pkg["dependencies"]) == ["axios", "react"]
    assert list(pkg["devDependencies"]) == ["@types/x", "vite"]
    add_dependency(pkg, "react", "^18.3.1", "dev")
    assert pkg["dependencies"] == {"axios": "^1.7.0"}
    assert pkg["devDependencies"]["react"] == "^18.3.1"
    add_dependency(pkg, "vite", "^6.0.0")  # stays where it was listed
    assert pkg["devDependencies"]["vite"] == "^6.0.0"
    add_dependency(pkg, "axios", "^1.7.0", "optional")
    assert "dependencies" not in pkg and pkg["optionalDependencies"] == {"axios": "^1.7.0"}
    add_dependency(pkg, "axios", "^1.7.0", "prod")
    assert "optionalDependencies" not in pkg and pkg["dependencies"] == {"axios": "^1.7.0"}


def test_remove_everywhere() -> None:
    pkg = {
        "name": "p",
        "dependencies": {"a": "1"},
        "devDependencies": {"a": "1", "b": "1"},
        "peerDependencies": {"a": "1"},
        "peerDependenciesMeta": {"a": {"optional": True}},
    }
    remove_dependency(pkg, "a")
    assert pkg == {"name": "p", "devDependencies": {"b": "1"}}


def test_unreadable_package_json() -> None:
    for text in ("{", "[]", ""):
        with pytest.raises(ManifestError):
            loads(text)
