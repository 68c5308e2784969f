"""client.core.names: every refusal is a sentence, given before any request."""

from __future__ import annotations

import pytest

from client.core.names import NameRefused, copy_name, validate_move, validate_name
from contract.rules import SyncRules


def refusal(
    name: str,
    rules: SyncRules,
    parent: str = "",
    siblings: tuple[str, ...] = (),
    current: str | None = None,
) -> str:
    with pytest.raises(NameRefused) as caught:
        validate_name(name, rules, parent, siblings, current)
    text = str(caught.value)
    assert text[0].isupper() and text.endswith("."), text  # a sentence
    return text


def test_acceptable_names_come_back_in_normal_form(rules: SyncRules) -> None:
    assert validate_name("app.py", rules) == "app.py"
    assert validate_name(".gitignore", rules, "src", ["main.py"]) == ".gitignore"
    assert validate_name("cafe\u0301.txt", rules) == "caf\u00e9.txt"  # NFC, like every path
    assert validate_name("<img src=x onerror=alert(1)>", rules) == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "must be provided"),
        ("   ", "must be provided"),
        (" lead.txt", "start or end with a space"),
        ("a/b.txt", "cannot contain “/”"),
        ("a\\b.txt", "backslash"),
        (".", "not allowed"),
        ("..", "not allowed"),
        ("tab\there", "control characters"),
        ("bell\x07", "control characters"),
        ("x" * 256, "too long: 256 bytes, at most 255"),
        ("é" * 128, "too long: 256 bytes"),
    ],
)
def test_bad_names_are_refused_with_the_reason(rules: SyncRules, name: str, words: str) -> None:
    assert words in refusal(name, rules)


def test_a_path_over_the_limit_is_refused(rules: SyncRules) -> None:
    deep = "/".join(["d" * 200] * 5)  # 1004 bytes already
    assert "longer than 1024 bytes" in refusal("n" * 30, rules, deep)


def test_duplicates_are_refused_case_insensitively(rules: SyncRules) -> None:
    text = refusal("readme.md", rules, "docs", ("README.md", "src"))
    assert text == (
        "A file or folder “README.md” already exists in “docs” (names differ only by case)."
    )
    assert "already exists in the project root" in refusal("src", rules, "", ("src",))


def test_a_rename_may_change_only_the_case_of_its_own_name(rules: SyncRules) -> None:
    assert validate_name("Readme.md", rules, "", ["README.md"], current="README.md") == "Readme.md"
    assert "already exists" in refusal("a.txt", rules, "", ("A.TXT", "b.txt"), current="b.txt")


def test_a_folder_cannot_move_into_itself() -> None:
    validate_move("src", "lib", is_folder=True)
    validate_move("src", "", is_folder=True)
    validate_move("src", "src-old", is_folder=True)  # a prefix is not a parent
    validate_move("a.txt", "a.txt.d", is_folder=False)
    with pytest.raises(NameRefused, match="Cannot move “src” into itself."):
        validate_move("src", "src", is_folder=True)
    with pytest.raises(NameRefused, match="into itself"):
        validate_move("src", "src/util/deep", is_folder=True)


@pytest.mark.parametrize(
    ("name", "taken", "folder", "expected"),
    [
        ("a.txt", [], False, "a.txt"),
        ("a.txt", ["a.txt"], False, "a copy.txt"),
        ("a.txt", ["A.TXT", "a copy.txt"], False, "a copy 2.txt"),
        ("a.txt", ["a.txt", "a copy.txt", "a copy 2.txt"], False, "a copy 3.txt"),
        ("a copy.txt", ["a.txt", "a copy.txt"], False, "a copy 2.txt"),
        ("a copy 2.txt", ["a copy 2.txt"], False, "a copy.txt"),
        ("src", ["src"], True, "src copy"),
        ("v1.0", ["v1.0"], True, "v1.0 copy"),  # folders have no extension
        (".gitignore", [".gitignore"], False, ".gitignore copy"),
        ("archive.tar.gz", ["archive.tar.gz"], False, "archive.tar copy.gz"),
        ("photocopy", ["photocopy"], False, "photocopy copy"),
    ],
)
def test_copy_names(name: str, taken: list[str], folder: bool, expected: str) -> None:
    assert copy_name(name, taken, folder) == expected
