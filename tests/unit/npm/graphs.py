"""Hand-built dependency graphs, each paired with a package.json, shared by the resolver
tests and the comparison with the host's npm."""

from __future__ import annotations

from typing import Any

from .registry import Registry

Graph = tuple[Registry, dict[str, Any]]


def hoisting_conflict() -> Graph:
    """a and d need c@1 (d exactly 1.0.0), b needs c@2: one c@1 hoisted, c@2 and the exact
    c@1.0.0 nested under their dependents."""
    r = Registry()
    r.publish("a", "1.0.0", dependencies={"c": "^1.0.0"})
    r.publish("b", "1.0.0", dependencies={"c": "^2.0.0", "d": "^1"})
    for version in ("1.0.0", "1.5.0", "2.0.0"):
        r.publish("c", version)
    r.publish("d", "1.0.0", dependencies={"c": "1.0.0"})
    return r, {"name": "proj", "version": "1.0.0", "dependencies": {"a": "^1", "b": "^1"}}


def order_dependence() -> Graph:
    """arborist's own example: root -> (a@1, b@1||2), a -> b@1. b@2 is placed at the root
    first (shallowest, highest), so a gets its own b@1: npm does not go back and dedupe."""
    r = Registry()
    r.publish("a", "1.0.0", dependencies={"b": "1"})
    r.publish("b", "1.0.0")
    r.publish("b", "2.0.0")
    return r, {"name": "proj", "version": "1.0.0", "dependencies": {"a": "1", "b": "1 || 2"}}


def deep_dedupe() -> Graph:
    """Shared deep dependencies end up once at the root; a second major nests."""
    r = Registry()
    r.publish("x", "1.0.0", dependencies={"shared": "^1.1.0", "leaf": "^1"})
    r.publish("y", "1.0.0", dependencies={"shared": "^1.0.0", "z": "^1"})
    r.publish("z", "1.0.0", dependencies={"shared": "~1.1.0", "leaf": "^2"})
    for version in ("1.0.0", "1.1.0", "1.1.5", "1.2.0"):
        r.publish("shared", version)
    r.publish("leaf", "1.0.0", dependencies={"shared": "^1"})
    r.publish("leaf", "2.0.0", dependencies={"shared": "^1.2"})
    return r, {"name": "proj", "version": "1.0.0", "dependencies": {"x": "^1", "y": "^1"}}


def peers() -> Graph:
    """react-dom brings its peer react; a plugin's peer vite is installed, its optional
    peer less is not; vite's optional native packages are recorded but skipped."""
    r = Registry()
    r.publish("react", "17.0.2")
    r.publish("react", "18.2.0")
    r.publish(
        "react-dom",
        "18.2.0",
        peerDependencies={"react": "^18.2.0"},
        dependencies={"scheduler": "^0.23"},
    )
    r.publish("scheduler", "0.23.0")
    r.publish(
        "plug",
        "1.0.0",
        peerDependencies={"vite": "^5", "less": "*"},
        peerDependenciesMeta={"less": {"optional": True}},
    )
    r.publish(
        "vite",
        "5.0.0",
        dependencies={"esbuild": "^0.21", "rollup": "^4"},
        optionalDependencies={"fsevents": "~2.3"},
    )
    r.publish("fsevents", "2.3.3", os=["darwin"])
    r.publish(
        "esbuild",
        "0.21.5",
        optionalDependencies={"@esbuild/linux-x64": "0.21.5", "@esbuild/darwin-arm64": "0.21.5"},
    )
    r.publish("@esbuild/linux-x64", "0.21.5", os=["linux"], cpu=["x64"])
    r.publish("@esbuild/darwin-arm64", "0.21.5", os=["darwin"], cpu=["arm64"])
    r.publish("rollup", "4.0.0", optionalDependencies={"@rollup/rollup-linux-x64-gnu": "4.0.0"})
    r.publish("@rollup/rollup-linux-x64-gnu", "4.0.0", os=["linux"], cpu=["x64"], libc=["glibc"])
    r.publish("less", "4.0.0")
    root = {
        "name": "proj",
        "version": "1.0.0",
        "dependencies": {"react-dom": "^18"},
        "devDependencies": {"plug": "^1"},
    }
    return r, root


def nested_peer_conflict() -> Graph:
    """Two dependencies of a dependency need different peers: not the project's own
    conflict, so npm nests one peer set under its dependent instead of failing."""
    r = Registry()
    r.publish("xy", "1.0.0", dependencies={"x": "1", "y": "1"})
    r.publish("x", "1.0.0", peerDependencies={"z": "1"})
    r.publish("y", "1.0.0", peerDependencies={"z": "2"})
    r.publish("z", "1.0.0")
    r.publish("z", "2.0.0")
    return r, {"name": "proj", "version": "1.0.0", "dependencies": {"xy": "1"}}


def peer_of_a_nested_copy() -> Graph:
    """A nested package's peer is placed beside it, under the same parent."""
    r = Registry()
    r.publish("app", "1.0.0", dependencies={"ui": "^2", "core": "^1"})
    r.publish("ui", "1.0.0", peerDependencies={"core": "^1"})
    r.publish("ui", "2.0.0", peerDependencies={"core": "^2"})
    r.publish("core", "1.0.0")
    r.publish("core", "2.0.0")
    root = {"name": "proj", "version": "1.0.0", "dependencies": {"app": "1", "ui": "^1"}}
    return r, root


def optional_failures() -> Graph:
    """Optional dependencies that do not resolve (no such package, no matching version, or
    a dependency of theirs missing) are dropped; the rest installs."""
    r = Registry()
    r.publish("ok", "1.0.0", optionalDependencies={"gone": "^1", "old": "^9"})
    r.publish("old", "1.0.0")
    r.publish("wrapper", "1.0.0", dependencies={"gone": "^1", "helper": "^1"})
    r.publish("helper", "1.0.0")
    root = {
        "name": "proj",
        "version": "1.0.0",
        "dependencies": {"ok": "^1"},
        "optionalDependencies": {"wrapper": "^1", "missing-too": "^1"},
    }
    return r, root


def aliases_and_dev() -> Graph:
    """An npm: alias installs the real package under the alias's folder; dev-only and
    optional-only flags come out as npm writes them."""
    r = Registry()
    r.publish("real", "1.0.0")
    r.publish("real", "1.2.0")
    r.publish("real", "2.0.0")
    r.publish("tool", "1.0.0", dependencies={"shared": "^1"}, bin="cli.js")
    r.publish("lib", "1.0.0", dependencies={"shared": "^1"}, optionalDependencies={"opt": "1"})
    r.publish("shared", "1.0.0")
    r.publish("opt", "1.0.0", dependencies={"deep": "1"})
    r.publish("deep", "1.0.0")
    root = {
        "name": "proj",
        "version": "1.0.0",
        "dependencies": {"old-real": "npm:real@^1", "lib": "^1"},
        "devDependencies": {"tool": "^1", "real": "^2"},
    }
    return r, root


def published_workspaces() -> Graph:
    """Packages published with a `workspaces` field (as @sveltejs/vite-plugin-svelte is,
    for its own repository's tests): npm copies it into their lock entries as it stands,
    array or object, and leaves out an empty one."""
    r = Registry()
    r.publish("plugin", "1.0.0", workspaces=["tests/deps/*", "tests/projects/*"])
    r.publish("tool", "1.0.0", workspaces={"packages": ["packages/*"]})
    r.publish("plain", "1.0.0", workspaces=[])
    root = {"name": "proj", "version": "1.0.0", "dependencies": {"plugin": "^1"}}
    root["devDependencies"] = {"tool": "^1", "plain": "^1"}
    return r, root


ALL = {
    "hoisting_conflict": hoisting_conflict,
    "order_dependence": order_dependence,
    "deep_dedupe": deep_dedupe,
    "peers": peers,
    "nested_peer_conflict": nested_peer_conflict,
    "peer_of_a_nested_copy": peer_of_a_nested_copy,
    "optional_failures": optional_failures,
    "aliases_and_dev": aliases_and_dev,
    "published_workspaces": published_workspaces,
}
