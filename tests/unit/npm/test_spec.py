"""Command-line package arguments and dependency specs, read as npm-package-arg reads
them; everything that is not a registry package is refused with one clear line."""

from __future__ import annotations

import pytest

from client.core.npm.spec import (
    Spec,
    SpecError,
    check_name,
    parse_arg,
    parse_dependency,
    saved_spec,
)


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("react", Spec("react", "range", "*")),
        ("react@^18", Spec("react", "range", "^18")),
        ("react@18.2.0", Spec("react", "version", "18.2.0")),
        ("react@v18.2.0", Spec("react", "version", "18.2.0")),
        ("react@", Spec("react", "range", "*")),
        ("react@next", Spec("react", "tag", "next")),
        ("@types/react@latest", Spec("@types/react", "tag", "latest")),
        ("@types/react", Spec("@types/react", "range", "*")),
        ("@types/react@~18.2", Spec("@types/react", "range", "~18.2")),
        ("alias@npm:real@^1", Spec("alias", "range", "^1", "real")),
        ("alias@npm:@scope/real", Spec("alias", "range", "*", "@scope/real")),
        ("events", Spec("events", "range", "*")),
        ("lodash@>= 4.17 < 5", Spec("lodash", "range", ">= 4.17 < 5")),
    ],
)
def test_registry_arguments(arg: str, expected: Spec) -> None:
    assert parse_arg(arg) == expected


@pytest.mark.parametrize(
    ("arg", "what"),
    [
        ("git+https://github.com/user/repo.git", "a git dependency"),
        ("git://github.com/user/repo.git", "a git dependency"),
        ("git@github.com:user/repo.git", "a git dependency"),
        ("github:user/repo", "a git dependency"),
        ("user/repo", "a GitHub repository"),
        ("pkg@user/repo", "a GitHub repository"),
        ("https://example.com/pkg-1.0.0.tgz", "a tarball URL"),
        ("file:../pkg", "a local path"),
        ("../x", "a local path"),
        ("./pkg", "a local path"),
        ("/abs/pkg", "a local path"),
        ("pkg.tgz", "a local"),
        ("pkg@link:../pkg", "a link"),
        ("pkg@workspace:*", "a workspace reference"),
        ("pkg@file:./x", "a local path"),
        ("pkg@https://example.com/x.tgz", "a tarball URL"),
    ],
)
def test_other_sources_are_refused_with_one_line(arg: str, what: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_arg(arg)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("npm in the browser installs from the registry only: ")
    assert what in message


@pytest.mark.parametrize(
    ("arg", "reason"),
    [
        ("", "cannot be empty"),
        ("   ", "spaces"),
        ("@", "URL-friendly"),
        ("my package", "spaces"),
        ("React", "capital letters"),
        ("100%", "URL-friendly"),
        ("nul\x00byte", "URL-friendly"),
        ("a" * 215, "longer than 214"),
        (".hidden", "cannot start"),
        ("_private", "cannot start"),
        ("node_modules", "not a valid package name"),
        ("@scope/../x", "URL-friendly"),
        ("@scope/.x", "period"),
        ("caf\u00e9", "URL-friendly"),
        ("ok@<script>", "invalid version, range or tag"),
        ("ok@npm:a@npm:b", "nested aliases"),
    ],
)
def test_hostile_values_get_a_clear_spec_error(arg: str, reason: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_arg(arg)
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message and "\x00" not in message


def test_name_rules_accept_what_npm_accepts() -> None:
    for name in ("a", "a-b.c_d", "@types/node", "@babel/core", "lodash.merge", "a" * 214):
        check_name(name)


def test_dependency_specs() -> None:
    assert parse_dependency("a", "") == Spec("a", "range", "*")
    assert parse_dependency("a", "^1") == Spec("a", "range", "^1")
    assert parse_dependency("a", "beta") == Spec("a", "tag", "beta")
    assert parse_dependency("b", "npm:c@2") == Spec("b", "range", "2", "c")
    assert parse_dependency("b", "npm:c@2.0.0") == Spec("b", "version", "2.0.0", "c")
    assert parse_dependency("b", "npm:c@2").package == "c"
    with pytest.raises(SpecError, match="git dependency"):
        parse_dependency("a", "github:user/repo#main")


@pytest.mark.parametrize(
    ("arg", "version", "exact", "saved"),
    [
        ("react", "18.3.1", False, "^18.3.1"),
        ("react@latest", "18.3.1", False, "^18.3.1"),
        ("react@18.2.0", "18.2.0", False, "^18.2.0"),
        ("react@^18", "18.3.1", False, "^18.3.1"),
        ("react@>=17", "18.3.1", False, "^18.3.1"),
        ("react@~18.2", "18.2.5", False, "~18.2"),
        ("react@18.2.x", "18.2.5", False, "18.2.x"),
        ("react@>=18 <18.3", "18.2.0", False, ">=18 <18.3"),
        ("react", "18.3.1", True, "18.3.1"),
        ("react@~18.2", "18.2.5", True, "18.2.5"),
        ("r@npm:react@^18", "18.3.1", False, "npm:react@^18.3.1"),
        ("r@npm:react", "18.3.1", True, "npm:react@18.3.1"),
        ("z@^0.2", "0.2.4", False, "^0.2.4"),
    ],
)
def test_the_spec_npm_saves(arg: str, version: str, exact: bool, saved: str) -> None:
    assert saved_spec(parse_arg(arg), version, exact=exact) == saved
