"""The client and the server check paths and ignore rules with separate code (rule 3: they
never import each other). Here both are held to the same answers, so they cannot drift:
a path the client accepts is never refused by the server, and the reverse."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from client.core import rules as client_rules
from server import paths as server_paths
from server.sync_rules import RULES as SERVER_RULES

CLIENT_RULES = client_rules.load()
PIECES = st.sampled_from(
    [
        "a",
        "B",
        "é",
        "e\u0301",
        ".",
        "..",
        "/",
        "\\",
        "\x00",
        "\x85",
        "\x7f",
        " ",
        "node_modules",
        ".env",
        ".env.x",
        "dist",
        ".git",
        "Ω",
        "\U0001d160",
        "x" * 120,
    ]
)


def outcome(normalise: Callable[[str], str], raw: str) -> tuple[str, str]:
    try:
        return ("ok", normalise(raw))
    except ValueError:
        return ("refused", "")


@settings(max_examples=800, derandomize=True)
@given(st.lists(PIECES, max_size=14).map("".join) | st.text(max_size=40))
def test_path_rules_agree(raw: str) -> None:
    assert outcome(CLIENT_RULES.normalise, raw) == outcome(server_paths.normalise, raw)


@settings(max_examples=500, derandomize=True)
@given(
    st.lists(PIECES.filter(lambda p: p not in {"/", "\\"}), min_size=1, max_size=4).map("/".join)
)
def test_ignore_rules_agree(path: str) -> None:
    assert CLIENT_RULES.ignored(path) == SERVER_RULES.ignored(path)


def test_limits_agree() -> None:
    for name in [
        "max_file_bytes",
        "max_project_bytes",
        "max_project_files",
        "max_request_bytes",
        "max_path_bytes",
        "max_segment_bytes",
        "max_ops_per_sync",
    ]:
        assert getattr(CLIENT_RULES, name) == getattr(SERVER_RULES, name), name
