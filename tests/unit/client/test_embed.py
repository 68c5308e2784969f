"""client.core.embed: URL parameters, the origin allow-list, which messages count, the
snippet, and the in-memory project an embed edits (driven through ProjectSync as the
workbench drives it)."""

from __future__ import annotations

import pytest

from client.core.embed import (
    PANELS,
    EmbedOptions,
    MemoryProjectApi,
    allowed_origins,
    command,
    origin_of,
    snippet,
)
from client.core.engine import ProjectSync
from client.core.ports import MemoryStorage
from contract.rules import SyncRules

from .fake_server import run


@pytest.mark.parametrize(
    ("raw", "origin"),
    [
        ("https://Blog.Example/post?x=1", "https://blog.example"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("https://a.example:443", "https://a.example"),
        ("http://[::1]:5000/", "http://[::1]:5000"),
        ("javascript:alert(1)", None),
        ("*", None),
        ("", None),
        ("https://", None),
        ("http://x:99999", None),
    ],
)
def test_origin_of(raw: str, origin: str | None) -> None:
    assert origin_of(raw) == origin


def test_options_from_the_query_and_back() -> None:
    query = {
        "share": "abc_DEF-123",
        "file": "src/main.py",
        "readonly": "1",
        "theme": "dark",
        "panels": "editor, terminal ,bogus",
        "run": "true",
        "origins": "https://blog.example/,nonsense,http://localhost:3000",
    }
    options = EmbedOptions.from_query(query)
    assert options == EmbedOptions(
        "abc_DEF-123",
        "src/main.py",
        True,
        "dark",
        ("editor", "terminal"),
        True,
        ("https://blog.example", "http://localhost:3000"),
    )
    back = dict(part.split("=", 1) for part in options.query().split("&"))
    assert EmbedOptions.from_query(back) == options


def test_defaults_and_bad_values() -> None:
    options = EmbedOptions.from_query(
        {"theme": "neon", "panels": "", "share": "<script>", "readonly": "0"}
    )
    assert options == EmbedOptions()
    assert options.panels == PANELS and options.theme == "auto" and options.share is None
    assert options.query() == ""


def test_allowed_origins() -> None:
    a, b, c = "https://a.example", "https://b.example", "https://c.example"
    assert allowed_origins((a,), ()) == {a}  # no server list: the parameter decides
    assert allowed_origins((), ()) == frozenset()  # nobody: a viewer only
    assert allowed_origins((), (a, b)) == {a, b}  # the server's list
    assert allowed_origins((a, c), (a, b)) == {a}  # the parameter only narrows it


def test_only_allowed_origins_and_our_protocol_make_commands() -> None:
    allowed = frozenset({"https://a.example"})
    good = {"cospai": 1, "type": "run", "path": "main.py"}
    assert command(good, "https://a.example", allowed) == good
    assert command(good, "https://evil.example", allowed) is None
    assert command({**good, "cospai": 2}, "https://a.example", allowed) is None
    assert command({**good, "type": "format-disk"}, "https://a.example", allowed) is None
    assert command("run", "https://a.example", allowed) is None
    assert command(good, "null", frozenset()) is None


def test_snippet() -> None:
    options = EmbedOptions(share="tok", file="a b.py", origins=("https://blog.example",))
    html = snippet("https://ide.example", options)
    assert html.startswith(
        '<iframe src="https://ide.example/embed?share=tok&amp;file=a%20b.py'
        '&amp;origins=https://blog.example"'
    )
    assert 'allow="cross-origin-isolated; clipboard-write"' in html and 'loading="lazy"' in html


def test_memory_project_through_project_sync(rules: SyncRules) -> None:
    async def scenario() -> None:
        api = MemoryProjectApi()
        api.replace({"main.py": (b"print(1)\n", False), "logo.png": (b"\x89PNG\0", True)})
        sync = ProjectSync("embed", MemoryStorage(), api, rules)
        await sync.refresh()
        assert set(sync.model.files) == {"main.py", "logo.png"}
        assert sync.model.files["logo.png"].content == b"\x89PNG\0"
        sync.model.write("main.py", b"print(2)\n")
        sync.model.write("new.txt", b"new")
        sync.model.delete("logo.png")
        report = await sync.push()
        assert report.new_conflicts == [] and sync.pending() == []
        assert api.texts() == {"main.py": "print(2)\n", "new.txt": "new"}
        assert await api.load("embed", f'"embed-{api.version}"') is None

    run(scenario())
