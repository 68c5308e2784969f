"""Which version npm picks from a packument (npm-pick-manifest): tags exactly, `latest`
when it satisfies, otherwise the highest, avoiding deprecated and engine-refused ones."""

from __future__ import annotations

import pytest

from client.core.npm.errors import NoMatchingVersion
from client.core.npm.packument import normalize_bin, pick_manifest
from client.core.npm.spec import parse_arg

from .registry import Registry


def pick(registry: Registry, arg: str, node_version: str | None = None) -> str:
    spec = parse_arg(arg)
    found = pick_manifest(registry.packument(spec.package), spec, node_version=node_version)
    return str(found["version"])


@pytest.fixture
def registry() -> Registry:
    r = Registry()
    for version in ("1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0", "3.0.0-beta.1"):
        r.publish("p", version)
    r.tag("p", "latest", "1.2.0")
    r.tag("p", "next", "3.0.0-beta.1")
    return r


def test_latest_wins_when_it_satisfies(registry: Registry) -> None:
    assert pick(registry, "p") == "1.2.0"
    assert pick(registry, "p@*") == "1.2.0"
    assert pick(registry, "p@>=1") == "1.2.0"
    assert pick(registry, "p@^2") == "2.1.0"
    assert pick(registry, "p@~1.1") == "1.1.0"


def test_tags_and_exact_versions(registry: Registry) -> None:
    assert pick(registry, "p@next") == "3.0.0-beta.1"
    assert pick(registry, "p@latest") == "1.2.0"
    assert pick(registry, "p@2.0.0") == "2.0.0"
    assert pick(registry, "p@^3.0.0-beta.0") == "3.0.0-beta.1"
    for missing in ("p@nope", "p@4", "p@9.9.9"):
        with pytest.raises(NoMatchingVersion) as caught:
            pick(registry, missing)
        assert str(caught.value) == f"No matching version found for {missing}."


def test_deprecated_versions_are_avoided_when_another_satisfies() -> None:
    r = Registry()
    r.publish("d", "1.0.0")
    r.publish("d", "1.1.0", deprecated="broken, use 1.0.0")
    assert pick(r, "d@^1") == "1.0.0"  # latest (1.1.0) is deprecated
    assert pick(r, "d@1.1.0") == "1.1.0"  # but asked for exactly, it is given
    r.publish("e", "1.0.0", deprecated="old")
    assert pick(r, "e@^1") == "1.0.0"  # only choice


def test_engines_steer_the_choice_when_a_node_version_is_given() -> None:
    r = Registry()
    r.publish("v", "1.0.0", engines={"node": ">=16"})
    r.publish("v", "2.0.0", engines={"node": ">=22"})
    assert pick(r, "v@*", node_version="20.20.2") == "1.0.0"
    assert pick(r, "v@*", node_version="22.1.0") == "2.0.0"
    assert pick(r, "v@*") == "2.0.0"


def test_bin_is_normalised() -> None:
    assert normalize_bin("@scope/tool", "bin/cli.js") == {"tool": "bin/cli.js"}
    assert normalize_bin("x", {"x": "./bin/x.js", "../evil": "../../etc/passwd"}) == {
        "x": "bin/x.js",
        "evil": "etc/passwd",
    }
    assert normalize_bin("x", None) == {}
