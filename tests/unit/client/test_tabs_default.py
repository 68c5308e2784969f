"""client/core/tabs.default_file: the file a project nobody opened here shows first."""

from __future__ import annotations

from client.core.tabs import default_file


def test_a_readme_or_an_entry_point_comes_first() -> None:
    assert default_file(["src/a.py", "main.py", "README.md"]) == "README.md"
    assert default_file(["src/App.jsx", "index.html", "z.txt"]) == "index.html"
    assert default_file(["lib/x.js", "src/main.jsx"]) == "src/main.jsx"


def test_else_the_first_file_in_tree_order() -> None:
    assert default_file(["src/b.txt", "Zeta.txt", "alpha.txt"]) == "alpha.txt"
    assert default_file(["deep/er/x", "deep/y"]) == "deep/y"
