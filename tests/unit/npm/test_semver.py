"""node-semver semantics (loose mode, as npm resolves dependency specs): a table of cases,
and the same table checked against the host's node-semver so the table itself is right."""

from __future__ import annotations

import json

import pytest

from client.core.npm.semver import Range, Version, max_satisfying, satisfies, valid, valid_range
from tests.support.node import node_json

NODE_SEMVER = "/usr/lib/node_modules/npm/node_modules/semver"

# (version, range, expected)
CASES = [
    ("1.2.3", "^1.2.3", True),
    ("1.9.9", "^1.2.3", True),
    ("2.0.0", "^1.2.3", False),
    ("0.2.5", "^0.2.3", True),
    ("0.3.0", "^0.2.3", False),
    ("0.0.3", "^0.0.3", True),
    ("0.0.4", "^0.0.3", False),
    ("1.2.9", "~1.2.3", True),
    ("1.3.0", "~1.2.3", False),
    ("1.9.0", "~1", True),
    ("1.2.0", "1.2.x", True),
    ("1.3.0", "1.2.x", False),
    ("3.0.0", "*", True),
    ("3.0.0", "", True),
    ("3.0.0", "x", True),
    ("1.2.3", ">= 1.2", True),
    ("1.1.9", ">= 1.2", False),
    ("1.2.3", ">=1.2.3 <2", True),
    ("2.0.0", ">=1.2.3 <2", False),
    ("2.5.0", "1.x || >=2.5.0", True),
    ("2.4.0", "1.x || >=2.5.0", False),
    ("1.5.0", "1.2.3 - 1.6", True),
    ("1.6.9", "1.2.3 - 1.6", True),
    ("1.7.0", "1.2.3 - 1.6", False),
    ("2.3.4", "1.2.3 - 2.3.4", True),
    ("2.3.5", "1.2.3 - 2.3.4", False),
    ("1.2.3", "=1.2.3", True),
    ("1.2.3", "v1.2.3", True),
    ("1.2.4", "1.2.3", False),
    ("1.3.0", ">1.2", True),
    ("1.2.9", ">1.2", False),
    ("1.2.9", "<=1.2", True),
    ("1.3.0", "<=1.2", False),
    ("1.0.0", "<1", False),
    ("0.9.0", "<1", True),
    ("1.2.3-beta.1", "^1.2.3-beta.0", True),
    ("1.2.4-beta.1", "^1.2.3-beta.0", False),
    ("1.2.3-beta.1", "^1.2.0", False),
    ("1.2.3-beta.1", "*", False),
    ("1.2.3-beta.1", ">=1.2.3-alpha <1.3", True),
    ("1.2.3-alpha.10", ">1.2.3-alpha.9", True),
    ("1.2.3-alpha.beta", ">1.2.3-alpha.1", True),
    ("1.2.3", ">1.2.3-rc.1", True),
    ("1.2.3+build.5", "1.2.3", True),
    ("1.2.3", "1.2.3+build.5", True),
    ("18.3.1", "^16.8.0 || ^17.0.0 || ^18.0.0", True),
    ("19.0.0", "^16.8.0 || ^17.0.0 || ^18.0.0", False),
    ("5.4.1", "^4.0.0 || ^5.0.0 || ^6.0.0-beta.0", True),
    ("6.0.0-beta.2", "^4.0.0 || ^5.0.0 || ^6.0.0-beta.0", True),
    ("1.2.3", "latest", False),
    ("1.2.3", "not a range", False),
    ("not.a.version", "*", False),
    ("1.2.3", "~ 1.2", True),
    ("1.2.3", "^ 1.2", True),
    ("1.2.3", "1.2.3 || garbage", True),
    ("0.0.0", ">=0.0.0", True),
    ("1.0.0", "<0.0.0-0", False),
]


@pytest.mark.parametrize(("version", "range_", "expected"), CASES)
def test_satisfies(version: str, range_: str, expected: bool) -> None:
    assert satisfies(version, range_) is expected


def test_the_table_is_what_node_semver_answers() -> None:
    script = f"""
    const semver = require({json.dumps(NODE_SEMVER)});
    const cases = {json.dumps([[v, r] for v, r, _ in CASES])};
    console.log(JSON.stringify(cases.map(([v, r]) => semver.satisfies(v, r, true))));
    """
    assert node_json("-e", script) == [expected for _, _, expected in CASES]


def test_ordering_follows_semver_precedence() -> None:
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.10.0",
        "2.0.0",
    ]
    parsed = [Version.parse(v) for v in ordered]
    assert sorted(reversed(parsed)) == parsed
    assert Version.parse("1.2.3+build") == Version.parse("1.2.3")
    assert str(Version.parse("v1.2.3-rc.1+meta")) == "1.2.3-rc.1"


def test_valid_and_invalid() -> None:
    assert valid("1.2.3") and valid("v1.2.3") and valid("1.2.3-0")
    for bad in ("1.2", "latest", "", "1.2.3.4", "01.x", "9" * 300):
        assert not valid(bad), bad
    assert valid_range("^1 || ~2.3") and valid_range("*") and valid_range("")
    assert not valid_range("latest") and not valid_range("next")


def test_max_satisfying_takes_prereleases_only_when_asked() -> None:
    versions = ["1.0.0", "1.1.0", "1.2.0-beta.1", "2.0.0-rc.1", "2.0.0"]
    assert max_satisfying(versions, "^1") == "1.1.0"
    assert max_satisfying(versions, "^1.2.0-beta.0") == "1.2.0-beta.1"
    assert max_satisfying(versions, ">=2.0.0-rc.0 <2.0.0") == "2.0.0-rc.1"
    assert max_satisfying(versions, "^3") is None
    assert max_satisfying(versions, "garbage") is None


def test_ranges_desugar_as_node_semver_prints_them() -> None:
    assert str(Range.parse("^1.2.3")) == ">=1.2.3 <2.0.0-0"
    assert str(Range.parse("~0.2")) == ">=0.2.0 <0.3.0-0"
    assert str(Range.parse("1.2.3 - 2")) == ">=1.2.3 <3.0.0-0"
    assert str(Range.parse("^0.0.3")) == ">=0.0.3 <0.0.4-0"
    assert str(Range.parse("* || 1.x")) == ""
