"""package-lock.json v3: npm's shape and key order, the round trip, the hidden lockfile,
and what `npm ci` reports when package.json and the lock disagree."""

from __future__ import annotations

import json

import pytest

from client.core.npm.lockfile import (
    LockfileError,
    ci_problems,
    dumps,
    hidden_lock_document,
    is_package_path,
    lock_document,
    tree_from_lock,
)

from . import graphs


def test_v3_shape_and_order() -> None:
    registry, root = graphs.peers()
    doc = lock_document(registry.tree(root))
    assert list(doc) == ["name", "version", "lockfileVersion", "requires", "packages"]
    assert doc["lockfileVersion"] == 3 and doc["requires"] is True
    packages = doc["packages"]
    assert list(packages)[0] == ""
    assert packages[""] == {
        "name": "proj",
        "version": "1.0.0",
        "dependencies": {"react-dom": "^18"},
        "devDependencies": {"plug": "^1"},
    }
    assert list(packages)[1:3] == [
        "node_modules/@esbuild/darwin-arm64",
        "node_modules/@esbuild/linux-x64",
    ]
    native = packages["node_modules/@esbuild/linux-x64"]
    assert list(native) == [
        "version",
        "resolved",
        "integrity",
        "cpu",
        "dev",
        "optional",
        "os",
        "peer",
    ]
    assert native["os"] == ["linux"] and native["optional"] is True
    react = packages["node_modules/react"]
    assert react["peer"] is True and "dev" not in react
    assert list(packages["node_modules/react-dom"])[-2:] == ["dependencies", "peerDependencies"]


def test_published_workspaces_are_copied_as_npm_copies_them() -> None:
    """Found against real npm (@sveltejs/vite-plugin-svelte in create-vite's svelte
    templates): a dependency's `workspaces` is part of its lock entry, and survives the
    round trip."""
    registry, root = graphs.published_workspaces()
    packages = lock_document(registry.tree(root))["packages"]
    assert packages["node_modules/plugin"]["workspaces"] == ["tests/deps/*", "tests/projects/*"]
    assert packages["node_modules/tool"]["workspaces"] == {"packages": ["packages/*"]}
    assert "workspaces" not in packages["node_modules/plain"]
    again = tree_from_lock(lock_document(registry.tree(root)), root)
    assert again.nodes["node_modules/tool"].workspaces == {"packages": ["packages/*"]}


def test_dumps_is_npm_formatting() -> None:
    registry, root = graphs.hoisting_conflict()
    text = dumps(lock_document(registry.tree(root)))
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "name": "proj",\n  "version": "1.0.0",\n  "lockfileVersion": 3,')
    assert json.loads(text) == lock_document(registry.tree(root))


@pytest.mark.parametrize("name", sorted(graphs.ALL))
def test_round_trip(name: str) -> None:
    registry, root = graphs.ALL[name]()
    tree = registry.tree(root)
    doc = lock_document(tree)
    again = tree_from_lock(json.loads(dumps(doc)), root)
    assert again == tree
    assert lock_document(again) == doc


def test_hidden_lockfile_holds_only_what_is_installed() -> None:
    registry, root = graphs.peers()
    tree = registry.tree(root)
    hidden = hidden_lock_document(tree)
    assert "" not in hidden["packages"]
    assert set(hidden["packages"]) == {n.path for n in tree.installed()}
    assert "node_modules/fsevents" not in hidden["packages"]


def test_old_lockfiles_are_refused_clearly() -> None:
    docs: list[object] = [{"lockfileVersion": 1, "dependencies": {}}, {"lockfileVersion": 3}, []]
    for doc in docs:
        with pytest.raises(LockfileError) as caught:
            tree_from_lock(doc, {})  # type: ignore[arg-type]
        assert "\n" not in str(caught.value)
    assert "lockfileVersion 1" in ci_problems({"lockfileVersion": 1}, {})[0]


def test_ci_problems() -> None:
    registry, root = graphs.hoisting_conflict()
    doc = lock_document(registry.tree(root))
    assert ci_problems(doc, root) == []
    assert ci_problems(doc, {**root, "dependencies": {"a": "^1.0.0", "b": "1.0.0"}}) == []
    assert ci_problems(doc, {**root, "dependencies": {"a": "^1", "b": "^1", "e": "^1"}}) == [
        "Missing: e@^1 from lock file"
    ]
    assert ci_problems(doc, {**root, "dependencies": {"a": "^2", "b": "^1"}}) == [
        "Invalid: lock file's a@1.0.0 does not satisfy a@^2"
    ]
    broken = json.loads(json.dumps(doc))
    del broken["packages"]["node_modules/d/node_modules/c"]
    assert ci_problems(broken, root) == ["Invalid: lock file's c@1.5.0 does not satisfy c@1.0.0"]
    del broken["packages"]["node_modules/c"]
    assert "Missing: c@^1.0.0 from lock file" in ci_problems(broken, root)
    optional = {**root, "optionalDependencies": {"absent": "^1"}}
    assert ci_problems(doc, optional) == []


@pytest.mark.parametrize(
    "path",
    [
        "node_modules/../../etc",
        "node_modules/a/../../x",
        "node_modules/@s/../x",
        "node_modules/.bin",
        "node_modules/..",
        "node_modules/a/node_modules/",
        "node_modules//x",
        "node_modules/a b",
        "node_modules/a\\..\\x",
        "node_modules/a\x00b",
    ],
)
def test_a_lockfile_naming_a_folder_npm_would_not_make_is_refused(path: str) -> None:
    """The installer removes and unpacks folders by the lockfile's paths: a shared
    project's lockfile must not reach outside node_modules."""
    doc = {"lockfileVersion": 3, "packages": {"": {}, path: {"version": "1.0.0"}}}
    with pytest.raises(LockfileError, match="a folder npm would not make"):
        tree_from_lock(doc, {})


def test_package_paths_npm_makes_are_taken() -> None:
    for path in ("node_modules/@types/react", "node_modules/a/node_modules/@s/b-c.d"):
        assert is_package_path(path)
    assert is_package_path("node_modules/JSONStream")  # an old name with capitals
