"""What the path tests (test_paths_property.py, test_paths_examples.py) share: the limits,
hypothesis settings, the checks of a canonical path, and strategies for raw text, valid
paths and paths whose case folds both ways."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from server.sync_rules import RULES

MAX_PATH = RULES.max_path_bytes  # 1024
MAX_SEGMENT = RULES.max_segment_bytes  # 255

PROPERTY = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def nbytes(text: str) -> int:
    return len(text.encode("utf-8"))


def is_c0_or_del(char: str) -> bool:
    """The control characters normalise refuses (see also the C1 test below)."""
    return ord(char) < 32 or ord(char) == 127


def assert_canonical(path: str) -> None:
    """Everything a stored path must be (the module docstring's promise)."""
    assert isinstance(path, str) and path
    assert not path.startswith("/") and not path.endswith("/"), path
    assert "\\" not in path, path
    assert not any(is_c0_or_del(c) for c in path), path
    assert nbytes(path) <= MAX_PATH, (nbytes(path), path)
    for segment in path.split("/"):
        assert segment not in {"", ".", ".."}, path
        assert nbytes(segment) <= MAX_SEGMENT, (nbytes(segment), segment)
    assert unicodedata.normalize("NFC", path) == path, path
    assert unicodedata.is_normalized("NFC", path)


# --- strategies ------------------------------------------------------------------------

# Raw text with the characters that matter over-represented: separators, dots, backslash,
# controls, combining marks (NFC), surrogates (not UTF-8), and anything else.
_SPECIAL = st.sampled_from(
    [
        "/",
        "/",
        ".",
        ".",
        "..",
        "\\",
        "\x00",
        "\x1f",
        "\x7f",
        "\n",
        "e\u0301",
        "\u0301",
        "\u00e9",
        "\ud800",
        "\u212b",
        " ",
    ]
)
_ANY_CHAR = st.characters(exclude_categories=())  # every code point, surrogates included
RAW = st.one_of(
    st.text(),
    st.text(alphabet=_ANY_CHAR),
    st.lists(st.one_of(_SPECIAL, st.text(max_size=4)), max_size=12).map("".join),
    st.text(alphabet=st.sampled_from("ab/.\\"), max_size=12),
)

# A safe alphabet: ASCII and non-ASCII letters, digits, and the punctuation names carry.
SAFE_CHARS = st.one_of(
    st.sampled_from("abcxyzABCXYZ0129.-_ "),
    st.sampled_from("éüßøÅΩπЖяשع日本語😀"),
    st.characters(categories=["Ll", "Lu", "Lo", "Nd"]),
)
SEGMENT = st.text(alphabet=SAFE_CHARS, min_size=1, max_size=20).filter(
    lambda s: s not in {".", ".."}
)
VALID = (
    st.lists(SEGMENT, min_size=1, max_size=6).map("/".join).filter(lambda p: nbytes(p) <= MAX_PATH)
)

# Letters whose upper and lower case fold to one key under str.casefold in both directions
# (dotless ı / dotted İ and the like are left out: their case mapping is not a round trip).
CASE_CHARS = st.one_of(st.sampled_from("abcxyzABCXYZ0129.-_ "), st.sampled_from("éüøÅΩπЖя"))
CASE_SEGMENT = st.text(alphabet=CASE_CHARS, min_size=1, max_size=10).filter(
    lambda s: s not in {".", ".."}
)
CASE_PATH = st.lists(CASE_SEGMENT, min_size=1, max_size=5).map("/".join)
