"""What an install unpacks and deletes, from the installed tree and the ideal one."""

from __future__ import annotations

from client.core.npm.lockfile import hidden_lock_document, tree_from_lock
from client.core.npm.plan import plan

from . import graphs
from .registry import Registry


def test_first_install_adds_everything_but_skipped_packages() -> None:
    registry, root = graphs.peers()
    ideal = registry.tree(root)
    first = plan(None, ideal)
    assert [n.path for n in first.add] == [n.path for n in ideal.installed()]
    assert "node_modules/fsevents" not in [n.path for n in first.add]
    assert first.remove == [] and first.keep == 0
    installed = tree_from_lock(hidden_lock_document(ideal), root)
    again = plan(installed, ideal)
    assert again.add == [] and again.remove == [] and again.keep == len(first.add)


def test_changes_remove_and_add_and_nested_folders_come_back() -> None:
    registry = Registry()
    registry.publish("a", "1.0.0", dependencies={"b": "^1"})
    registry.publish("a", "2.0.0", dependencies={"b": "^1"})
    registry.publish("b", "1.0.0")
    registry.publish("b", "2.0.0")
    registry.publish("gone", "1.0.0")
    before = registry.tree({"dependencies": {"a": "1", "b": "2", "gone": "1"}})
    assert "node_modules/a/node_modules/b" in before.nodes
    installed = tree_from_lock(hidden_lock_document(before), before.root)
    after = registry.tree({"dependencies": {"a": "2", "b": "2"}})
    step = plan(installed, after)
    assert step.remove == ["node_modules/a", "node_modules/gone"]
    assert [n.path for n in step.add] == ["node_modules/a", "node_modules/a/node_modules/b"]
    assert step.keep == 1
