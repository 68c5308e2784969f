"""contract.rules, which the client and the server share: the sync rules, the path normal
form and ignored paths. This suite runs inside Pyodide too (tests/e2e/test_core_in_pyodide.py)."""

from __future__ import annotations

import pytest

from contract import rules as rules_module
from contract.rules import PathError, SyncRules, folded, is_text, parents


def test_the_contract_file_loads_with_every_limit(rules: SyncRules) -> None:
    assert rules.ignored_folders == {"node_modules", ".git", "dist", "build"}
    assert rules.ignored_file_patterns == (".env", ".env.*", ".envrc")
    assert rules.max_file_bytes == 10 * 1024 * 1024
    assert rules.max_ops_per_sync == 5000
    assert rules.max_request_bytes > rules.max_file_bytes
    assert rules.compress_over_bytes == 1024 * 1024


def test_from_json_reads_limits_as_integers() -> None:
    raw = {
        "ignored_folders": ["x"],
        "ignored_file_patterns": [".s*"],
        "compress_over_bytes": "9",
        "limits": {
            "max_file_bytes": "1",
            "max_project_bytes": 2,
            "max_project_files": 3,
            "max_request_bytes": 4,
            "max_path_bytes": 5,
            "max_segment_bytes": 6,
            "max_ops_per_sync": 7,
        },
    }
    rules = SyncRules.from_json(raw)
    assert (rules.max_file_bytes, rules.max_ops_per_sync, rules.compress_over_bytes) == (1, 7, 9)
    assert rules.ignored("a/x/b") and rules.ignored(".secret")


@pytest.mark.parametrize(
    "path",
    [
        "node_modules/react/index.js",
        "a/node_modules/x.js",
        ".git/HEAD",
        "dist/app.js",
        "pkg/build/out.o",
        ".env",
        ".env.local",
        "sub/.env.production",
        "Node_Modules/x",
        ".ENV",
        ".envrc",
    ],
)
def test_ignored_paths(rules: SyncRules, path: str) -> None:
    assert rules.ignored(path)


@pytest.mark.parametrize(
    "path",
    [
        "src/main.py",
        "distribution/a.txt",
        "builder.py",
        "my.env",
        "env/x",
        "a/b/c.txt",
        "node_modules.txt",
        "src/node_modules.md",
        "dist",
        "scripts/build",
        ".environment.ts",
    ],
)
def test_synced_paths(rules: SyncRules, path: str) -> None:
    assert not rules.ignored(path)


def test_normalise_keeps_good_paths_and_composes_unicode(rules: SyncRules) -> None:
    assert rules.normalise("src/app.py") == "src/app.py"
    assert rules.normalise("cafe\u0301.txt") == "caf\u00e9.txt"
    assert rules.normalise("a b/ü.txt") == "a b/ü.txt"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("/abs", "relative"),
        ("a\\b", "backslash"),
        ("a\x00b", "control"),
        ("a\x7fb", "control"),
        ("a//b", "empty folder"),
        ("a/", "empty folder"),
        ("./a", "'.'"),
        ("a/../b", "'..'"),
        ("x" * 256, "longer than 255"),
        ("a/" * 600 + "b", "longer than 1024"),
        ("\ud800", "UTF-8"),
    ],
)
def test_normalise_refuses_with_a_reason(rules: SyncRules, raw: str, reason: str) -> None:
    with pytest.raises(PathError) as caught:
        rules.normalise(raw)
    assert reason in str(caught.value)


def test_segment_limit_counts_bytes_not_characters(rules: SyncRules) -> None:
    assert rules.normalise("é" * 127) == "é" * 127  # 254 bytes
    with pytest.raises(PathError):
        rules.normalise("é" * 128)  # 256 bytes


def test_folded_and_parents() -> None:
    assert folded("Src/ReadMe.MD") == folded("src/readme.md")
    assert folded("Straße") == folded("STRASSE")
    assert parents("a/b/c.txt") == ["a", "a/b"]
    assert parents("top.txt") == []


def test_rules_file_sits_beside_the_module() -> None:
    assert rules_module.RULES_FILE.parent.name == "contract"
    assert rules_module.RULES_FILE.is_file()


def test_a_path_that_is_not_a_string_is_refused(rules: SyncRules) -> None:
    with pytest.raises(PathError, match="must be a string"):
        rules.normalise(None)


def test_raw_is_the_document_and_does_not_count_in_equality(rules: SyncRules) -> None:
    assert rules.raw["limits"]["max_file_bytes"] == rules.max_file_bytes
    assert rules == SyncRules.from_json({**rules.raw, "comment": "another"})
    assert hash(rules) == hash(rules_module.load())


def test_text_is_utf8_without_nul() -> None:
    assert is_text(b"") and is_text("héllo ✓\n".encode())
    assert not is_text(b"a\0b")  # valid UTF-8, but NUL makes it binary
    assert not is_text(b"\xff\xfe") and not is_text(b"\x89PNG\r\n\x1a\n")
