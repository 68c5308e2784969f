"""contract.rules as the server loads it (normalise, folded, parents): properties over any
text.

The promise of `RULES.normalise`: for any input it either raises PathError, or returns the
one canonical spelling of a project path, which is a fixed point (normalising it again
gives it back) and obeys every rule the module docstring states."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, event, example, given
from hypothesis import strategies as st

from contract.rules import PathError, folded, parents
from server.sync_rules import RULES
from tests.unit.path_strategies import (
    CASE_PATH,
    MAX_PATH,
    MAX_SEGMENT,
    PROPERTY,
    RAW,
    VALID,
    assert_canonical,
    nbytes,
)


@PROPERTY
@given(RAW)
@example("a/./b")
@example("e\u0301/x")
@example("\u212b")  # ANGSTROM SIGN: NFC maps it to Å (U+00C5)
def test_normalise_refuses_or_returns_a_canonical_fixed_point(raw: str) -> None:
    try:
        path = RULES.normalise(raw)
    except PathError as error:
        assert str(error)  # every refusal says why
        event("refused")
        return
    event("accepted")
    assert_canonical(path)
    assert RULES.normalise(path) == path  # idempotent
    assert path == unicodedata.normalize("NFC", raw)  # NFC is the only rewrite


@PROPERTY
@given(st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.text(max_size=3))))
def test_normalise_refuses_what_is_not_text(raw: object) -> None:
    with pytest.raises(PathError):
        RULES.normalise(raw)


@PROPERTY
@given(VALID)
def test_valid_paths_are_accepted_unchanged_modulo_nfc(path: str) -> None:
    nfc = unicodedata.normalize("NFC", path)
    assume(all(nbytes(s) <= MAX_SEGMENT for s in nfc.split("/")))
    assert RULES.normalise(path) == nfc
    nfd = unicodedata.normalize("NFD", path)
    if nbytes(nfd) <= MAX_PATH:  # a decomposed (macOS) spelling lands on the same path
        assert RULES.normalise(nfd) == nfc


FORBIDDEN = [
    "empty",
    "dot",
    "dotdot",
    "backslash",
    "control",
    "leading",
    "trailing",
    "long_segment",
    "long_path",
]


@PROPERTY
@given(VALID, st.sampled_from(FORBIDDEN), st.data())
def test_a_forbidden_element_anywhere_makes_a_valid_path_fail(
    path: str, kind: str, data: st.DataObject
) -> None:
    path = unicodedata.normalize("NFC", path)  # so that padding cannot shrink under NFC
    segments = path.split("/")
    where = data.draw(st.integers(0, len(segments)), label="where")
    if kind in {"empty", "dot", "dotdot"}:
        segments.insert(where, {"empty": "", "dot": ".", "dotdot": ".."}[kind])
        bad = "/".join(segments)
    elif kind in {"backslash", "control"}:
        char = (
            "\\"
            if kind == "backslash"
            else data.draw(st.sampled_from([chr(i) for i in [*range(32), 127]]), label="control")
        )
        at = data.draw(st.integers(0, len(path)), label="at")
        bad = path[:at] + char + path[at:]
    elif kind == "leading":
        bad = "/" + path
    elif kind == "trailing":
        bad = path + "/"
    elif kind == "long_segment":
        index = min(where, len(segments) - 1)
        segments[index] = segments[index] + "x" * (MAX_SEGMENT + 1 - nbytes(segments[index]))
        bad = "/".join(segments)
    else:
        filler = "/".join(["y" * 200] * 6)  # 1205 bytes of valid segments
        bad = path + "/" + filler
    with pytest.raises(PathError):
        RULES.normalise(bad)


# --- folded and parents ------------------------------------------------------------------


@PROPERTY
@given(CASE_PATH)
def test_folded_ignores_case(path: str) -> None:
    key = folded(path)
    assert folded(path.upper()) == key
    assert folded(path.lower()) == key
    assert folded(path.swapcase()) == key
    assert folded(key) == key


@PROPERTY
@given(VALID)
def test_parents_are_every_folder_prefix(path: str) -> None:
    segments = path.split("/")
    found = parents(path)
    assert len(found) == len(segments) - 1
    for depth, parent in enumerate(found, start=1):
        assert parent == "/".join(segments[:depth])
        assert path.startswith(parent + "/")
    assert found == sorted(found, key=len)
    assert path not in found


def test_parents_examples() -> None:
    assert parents("a.txt") == []
    assert parents("a/b/c.txt") == ["a", "a/b"]
    assert folded("Src/README.md") == folded("src/readme.MD") == "src/readme.md"
    assert folded("Straße.txt") == folded("STRASSE.TXT")
