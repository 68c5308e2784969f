"""The dashboard checks project names and packs folders without asking the server; here
the client's answers are held to the server's own code, so they cannot drift apart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client.core.project_import import ZipWriter, plan_folder
from client.core.project_list import NAME_MAX, name_problem
from contract import rules as client_rules
from server import zips
from server.errors import ApiError
from server.openapi_schemas import NAME
from server.routes.projects import _name as server_name  # the check POST/PATCH use

PIECES = st.sampled_from(
    [
        "a",
        " ",
        "\t",
        "\n",
        "\x00",
        "\x7f",
        "\x85",
        "\u2028",
        "\u00a0",
        "é",
        "x" * 40,
        "<img>",
        "\ud800",
    ]
)


def server_accepts(raw: str) -> bool:
    try:
        server_name({"name": raw})
    except ApiError:
        return False
    return True


@settings(max_examples=600, derandomize=True)
@given(st.lists(PIECES, max_size=6).map("".join) | st.text(max_size=120))
def test_client_and_server_accept_the_same_names(raw: str) -> None:
    assert (name_problem(raw) is None) == server_accepts(raw)


def test_the_name_limit_is_the_documented_one() -> None:
    assert NAME["maxLength"] == NAME_MAX


@pytest.mark.parametrize("top", ["app", "build"])
def test_a_packed_folder_imports_as_planned(top: str) -> None:
    rules = client_rules.load()
    picked = {
        f"{top}/index.html": b"<p>hi</p>",
        f"{top}/src/a.py": b"print(1)\n",
        f"{top}/node_modules/x.js": b"x",
    }
    plan = plan_folder([(p, len(d)) for p, d in picked.items()], rules)
    contents = list(picked.values())
    writer = ZipWriter()
    for index, path in plan.files:
        writer.add(path, contents[index])
    files, skipped = zips.read(writer.finish())
    assert files == {"index.html": b"<p>hi</p>", "src/a.py": b"print(1)\n"}
    assert skipped == []
