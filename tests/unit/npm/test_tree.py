"""The ideal tree: hoisting, conflicts nested, dedupe, npm's order dependence, peers,
optional failures, platform skips, aliases, flags, lockfile preference, progress."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from client.core.npm.errors import NoMatchingVersion, NoSuchPackage, PeerConflict
from client.core.npm.lockfile import lock_document, tree_from_lock
from client.core.npm.tree import Tree, build_ideal_tree

from . import graphs
from .registry import Registry, layout


def test_a_conflict_nests_under_its_dependent_and_the_rest_hoists() -> None:
    registry, root = graphs.hoisting_conflict()
    assert layout(registry.tree(root)) == {
        "node_modules/a": "1.0.0",
        "node_modules/b": "1.0.0",
        "node_modules/b/node_modules/c": "2.0.0",
        "node_modules/c": "1.5.0",
        "node_modules/d": "1.0.0",
        "node_modules/d/node_modules/c": "1.0.0",
    }


def test_a_satisfying_copy_is_shared_not_duplicated() -> None:
    registry, root = graphs.deep_dedupe()
    tree = layout(registry.tree(root))
    assert tree["node_modules/shared"] == "1.2.0"
    assert [p for p in tree if p.endswith("/shared")] == [
        "node_modules/shared",
        "node_modules/z/node_modules/leaf/node_modules/shared",
        "node_modules/z/node_modules/shared",
    ]
    assert tree["node_modules/z/node_modules/shared"] == "1.1.5"  # ~1.1.0 cannot use 1.2.0


def test_npm_places_the_shallower_higher_version_first_and_does_not_go_back() -> None:
    registry, root = graphs.order_dependence()
    assert layout(registry.tree(root)) == {
        "node_modules/a": "1.0.0",
        "node_modules/a/node_modules/b": "1.0.0",
        "node_modules/b": "2.0.0",
    }


def test_peers_are_installed_and_optional_peers_are_not() -> None:
    registry, root = graphs.peers()
    tree = registry.tree(root)
    assert tree.nodes["node_modules/react"].version == "18.2.0"
    assert tree.nodes["node_modules/react"].peer
    assert tree.nodes["node_modules/vite"].dev and tree.nodes["node_modules/vite"].peer
    assert "node_modules/less" not in tree.nodes


def test_native_optional_packages_are_recorded_but_skipped() -> None:
    registry, root = graphs.peers()
    tree = registry.tree(root)
    skipped = {p for p, n in tree.nodes.items() if n.skipped}
    assert skipped == {
        "node_modules/@esbuild/darwin-arm64",
        "node_modules/@esbuild/linux-x64",
        "node_modules/@rollup/rollup-linux-x64-gnu",
        "node_modules/fsevents",
    }
    assert all(tree.nodes[p].optional for p in skipped)
    assert {n.path for n in tree.installed()} == set(tree.nodes) - skipped
    on_linux = registry.tree(root, os="linux", cpu="x64", libc="glibc")
    assert {p for p, n in on_linux.nodes.items() if n.skipped} == {
        "node_modules/@esbuild/darwin-arm64",
        "node_modules/fsevents",
    }


def test_a_peer_conflict_below_the_project_nests_the_peer_set() -> None:
    registry, root = graphs.nested_peer_conflict()
    assert layout(registry.tree(root)) == {
        "node_modules/x": "1.0.0",
        "node_modules/xy": "1.0.0",
        "node_modules/xy/node_modules/y": "1.0.0",
        "node_modules/xy/node_modules/z": "2.0.0",
        "node_modules/z": "1.0.0",
    }


def test_a_peer_conflict_of_the_project_is_an_eresolve_naming_both() -> None:
    registry = Registry()
    registry.publish("react", "17.0.2")
    registry.publish("react", "18.2.0")
    registry.publish("react-dom", "18.2.0", peerDependencies={"react": "^18.2.0"})
    root = {"name": "p", "version": "1.0.0", "dependencies": {"react": "^17", "react-dom": "^18"}}
    with pytest.raises(PeerConflict) as caught:
        registry.tree(root)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("ERESOLVE")
    assert "react-dom@18.2.0" in message and "react@^18.2.0" in message
    assert "react@17.0.2" in message and "root project" in message


def test_a_conflicting_peer_deeper_down_warns_and_keeps_going() -> None:
    registry, root = graphs.peer_of_a_nested_copy()
    tree = registry.tree(root)
    assert layout(tree)["node_modules/app/node_modules/ui"] == "2.0.0"
    assert any("overriding peer dependency" in w for w in tree.warnings)


def test_optional_failures_are_dropped_with_what_only_they_needed() -> None:
    registry, root = graphs.optional_failures()
    tree = registry.tree(root)
    assert layout(tree) == {
        "node_modules/helper": "1.0.0",
        "node_modules/ok": "1.0.0",
        "node_modules/wrapper": "1.0.0",
    }
    assert tree.nodes["node_modules/wrapper"].skipped  # its dependency `gone` is missing
    assert tree.nodes["node_modules/helper"].skipped  # needed only by wrapper
    assert not tree.nodes["node_modules/ok"].skipped


def test_required_failures_stop_the_install() -> None:
    registry = Registry()
    registry.publish("a", "1.0.0", dependencies={"ghost": "^1"})
    registry.publish("b", "1.0.0")
    with pytest.raises(NoSuchPackage) as missing:
        registry.tree({"dependencies": {"a": "1"}})
    assert "ghost" in str(missing.value) and "a@1.0.0" in str(missing.value)
    with pytest.raises(NoMatchingVersion, match=r"No matching version found for b@\^2"):
        registry.tree({"dependencies": {"b": "^2"}})


def test_an_optional_dependency_also_listed_in_dependencies_is_optional() -> None:
    registry = Registry()
    registry.publish("maybe", "1.0.0", os=["darwin"])
    root = {"dependencies": {"maybe": "^1"}, "optionalDependencies": {"maybe": "^1"}}
    tree = registry.tree(root)
    assert tree.nodes["node_modules/maybe"].optional
    assert tree.nodes["node_modules/maybe"].skipped


def test_aliases_and_flags() -> None:
    registry, root = graphs.aliases_and_dev()
    tree = registry.tree(root)
    alias = tree.nodes["node_modules/old-real"]
    assert (alias.name, alias.package_name, alias.version) == ("old-real", "real", "1.2.0")
    assert alias.alias_of == "real"
    assert tree.nodes["node_modules/real"].version == "2.0.0"
    assert tree.nodes["node_modules/real"].dev
    assert tree.nodes["node_modules/tool"].bin == {"tool": "cli.js"}
    assert not tree.nodes["node_modules/shared"].dev  # lib (prod) needs it too
    assert tree.nodes["node_modules/opt"].optional and tree.nodes["node_modules/deep"].optional


def test_dist_tags_and_latest_preference_in_the_tree() -> None:
    registry = Registry()
    for version in ("1.0.0", "1.5.0", "2.0.0-beta.1"):
        registry.publish("t", version)
    registry.tag("t", "latest", "1.0.0")
    registry.tag("t", "beta", "2.0.0-beta.1")
    assert layout(registry.tree({"dependencies": {"t": "^1"}})) == {"node_modules/t": "1.0.0"}
    assert layout(registry.tree({"dependencies": {"t": "beta"}})) == {
        "node_modules/t": "2.0.0-beta.1"
    }


def test_a_lock_keeps_its_versions_and_only_new_specs_resolve() -> None:
    registry = Registry()
    registry.publish("a", "1.0.0")
    registry.publish("b", "1.0.0")
    first = registry.tree({"dependencies": {"a": "^1"}})
    registry.publish("a", "1.1.0")
    registry.publish("b", "1.1.0")
    root = {"dependencies": {"a": "^1", "b": "^1"}}
    lock = tree_from_lock(lock_document(first), first.root)
    again = registry.tree(root, lock=lock)
    assert layout(again) == {"node_modules/a": "1.0.0", "node_modules/b": "1.1.0"}
    updated = registry.tree(root, lock=lock, update=["a"])
    assert layout(updated)["node_modules/a"] == "1.1.0"
    changed = registry.tree({"dependencies": {"a": "^1.1"}}, lock=lock)
    assert layout(changed) == {"node_modules/a": "1.1.0"}
    removed = registry.tree({"dependencies": {}}, lock=lock)
    assert removed.nodes == {}


def test_progress_counts_packuments_and_fetching_is_concurrent() -> None:
    registry, root = graphs.deep_dedupe()
    seen: list[tuple[str, int]] = []
    in_flight = 0
    most = 0

    async def slow(name: str) -> dict[str, Any]:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.001)
        in_flight -= 1
        return await registry(name)

    asyncio.run(build_ideal_tree(root, slow, progress=lambda k, n: seen.append((k, n))))
    assert seen[-1] == ("resolved", len(registry.docs))
    assert [n for _, n in seen] == list(range(1, len(registry.docs) + 1))
    assert most > 1


def test_the_result_does_not_depend_on_network_timing() -> None:
    registry, root = graphs.peers()
    expected = layout(registry.tree(root))
    rng = random.Random(7)

    async def jittery(name: str) -> dict[str, Any]:
        await asyncio.sleep(rng.random() / 500)
        return await registry(name)

    for _ in range(3):
        tree: Tree = asyncio.run(build_ideal_tree(root, jittery))
        assert layout(tree) == expected


def test_a_packages_peers_are_fetched_together_not_one_by_one() -> None:
    """vite names a dozen optional peers that the loop checks one at a time: their
    packuments are all asked for as soon as vite's manifest is chosen, so a slow registry
    costs one round trip for the set, not one per peer. The tree does not change."""
    registry = Registry()
    peers = [f"peer-{k}" for k in range(6)]
    registry.publish(
        "tool",
        "1.0.0",
        peerDependencies={name: "^1.0.0" for name in peers},
        peerDependenciesMeta={name: {"optional": True} for name in peers},
    )
    for name in peers:
        registry.publish(name, "1.0.0")
    in_flight, most = 0, 0

    async def slow(name: str) -> dict[str, Any]:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return await registry(name)

    tree = asyncio.run(build_ideal_tree({"dependencies": {"tool": "^1.0.0"}}, slow))
    assert sorted(tree.nodes) == ["node_modules/tool"]  # optional peers: not installed
    assert most >= len(peers)
