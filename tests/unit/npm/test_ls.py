"""`npm ls` output: tree drawing, deduped, UNMET (OPTIONAL) DEPENDENCY, invalid,
extraneous, and which problems fail the command."""

from __future__ import annotations

from client.core.npm.ls import ls, render_ls
from client.core.npm.model import Node, Tree

from . import graphs


def test_depth_zero_and_all() -> None:
    registry, root = graphs.hoisting_conflict()
    tree = registry.tree(root)
    assert render_ls(tree) == "proj@1.0.0 /project\n├── a@1.0.0\n└── b@1.0.0\n\n"
    assert render_ls(tree, all=True, root_path="/w") == (
        "proj@1.0.0 /w\n"
        "├─┬ a@1.0.0\n"
        "│ └── c@1.5.0\n"
        "└─┬ b@1.0.0\n"
        "  ├── c@2.0.0\n"
        "  └─┬ d@1.0.0\n"
        "    └── c@1.0.0\n"
        "\n"
    )
    assert ls(tree, all=True).problems == []


def test_deduped_and_unmet_optional() -> None:
    registry, root = graphs.peers()
    text = render_ls(registry.tree(root), depth=1)
    assert "│ ├── UNMET OPTIONAL DEPENDENCY less@*" in text
    assert "│ └── vite@5.0.0" in text
    assert "├── react@18.2.0" in text
    deep = render_ls(registry.tree(root), all=True)
    assert "UNMET OPTIONAL DEPENDENCY fsevents@~2.3" in deep  # skipped: not installed
    assert "deduped" not in text


def test_problems() -> None:
    tree = Tree(
        root={"name": "p", "version": "1.0.0", "dependencies": {"a": "^1", "gone": "^2"}},
        nodes={
            "node_modules/a": Node("node_modules/a", "a", "2.0.0", dependencies={"b": "1"}),
            "node_modules/b": Node("node_modules/b", "b", "1.0.0"),
            "node_modules/stray": Node("node_modules/stray", "stray", "1.0.0", extraneous=True),
        },
    )
    result = ls(tree)
    assert result.text == (
        "p@1.0.0 /project\n"
        '├── a@2.0.0 invalid: "^1" from the root project\n'
        "├── UNMET DEPENDENCY gone@^2\n"
        "└── stray@1.0.0 extraneous\n"
        "\n"
    )
    assert result.problems == [
        "invalid: a@2.0.0 /project/node_modules/a",
        "missing: gone@^2, required by p@1.0.0",
        "extraneous: stray@1.0.0 /project/node_modules/stray",
    ]
    assert result.failed
    assert not ls(Tree(root={"name": "p", "version": "1.0.0"})).failed
    assert render_ls(Tree(root={"name": "p", "version": "1.0.0"})) == (
        "p@1.0.0 /project\n└── (empty)\n\n"
    )


def test_deduped_marks_later_occurrences() -> None:
    registry, root = graphs.deep_dedupe()
    text = render_ls(registry.tree(root), all=True)
    assert "│ ├── leaf@1.0.0\n" in text or "leaf@1.0.0\n" in text
    assert "shared@1.2.0 deduped" in text
