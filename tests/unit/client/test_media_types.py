"""contract/media_types.py: the one table the static site, share links and the browser's
static preview serve files with (this suite runs inside Pyodide too, where no
/etc/mime.types helps)."""

from __future__ import annotations

import pytest

from contract.media_types import TYPES, UNKNOWN, media_type, suffix


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("a/b/app.MJS", "text/javascript; charset=utf-8"),
        ("styles/site.css", "text/css; charset=utf-8"),
        ("pyodide.asm.wasm", "application/wasm"),
        ("notes.md", "text/markdown; charset=utf-8"),
        ("main.py", "text/plain; charset=utf-8"),
        ("bundle.zip", "application/zip"),
        ("data.unknownext", UNKNOWN),
        ("Makefile", UNKNOWN),
        ("a.d/Makefile", UNKNOWN),
    ],
)
def test_media_type(path: str, expected: str) -> None:
    assert media_type(path) == expected


def test_a_name_outside_the_table_is_guessed() -> None:
    assert "tar" not in TYPES
    assert media_type("a/archive.tar") == "application/x-tar"


def test_suffix_is_the_last_name_s_lowercased_extension() -> None:
    assert suffix("a.b/c.Tar.GZ") == "gz"
    assert suffix("a.b/c") == ""
    assert suffix(".env") == "env"


def test_text_types_say_their_charset() -> None:
    for name, kind in TYPES.items():
        if kind.startswith("text/"):
            assert kind.endswith("; charset=utf-8"), name
