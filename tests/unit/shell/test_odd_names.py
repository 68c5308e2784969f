"""File names people do make: spaces, quotes, tabs, accents, glob characters and leading
dashes, through quoting, globbing and the builtins that list, read, move and remove."""

from __future__ import annotations

import pytest

from .conftest import Terminal

ODD = ["a b.txt", "it's.txt", "ünï.txt", "*star*.txt", "q?.txt", "[x].txt", "t\ttab.txt"]


@pytest.fixture
def odd(term: Terminal) -> Terminal:
    for name in ODD:
        term.write(name, f"in {name}\n")
    term.write("x.txt", "plain\n")
    return term


def test_a_glob_lists_every_name_in_code_point_order(odd: Terminal) -> None:
    expected = sorted([*ODD, "x.txt"])
    assert odd("echo *").out == " ".join(expected) + "\n"
    assert odd("ls").out == "".join(f"{name}\n" for name in expected)


@pytest.mark.parametrize(
    ("words", "printed"),
    [
        ("[x].txt", "x.txt"),  # a bracket expression, not the name with brackets
        (r"\[x\].txt", "[x].txt"),
        ("'[x].txt'", "[x].txt"),
        ("q?.txt", "q?.txt"),  # `?` matches the name's own question mark
        ("'*'star*", "*star*.txt"),  # a quoted star is a star, the rest still globs
        ('"*"', "*"),
        ("*.nothing", "*.nothing"),  # no match: the pattern stays as typed
        ("ü*", "ünï.txt"),
    ],
)
def test_quoting_decides_what_globs(odd: Terminal, words: str, printed: str) -> None:
    assert odd(f"echo {words}").out == printed + "\n"


def test_builtins_take_odd_names_quoted(odd: Terminal) -> None:
    assert odd("cat 'a b.txt' \"it's.txt\" 't\ttab.txt'").out == (
        "in a b.txt\nin it's.txt\nin t\ttab.txt\n"
    )
    assert odd("mv 'a b.txt' 'c d.txt'").status == 0
    assert odd("cp 'c d.txt' \"$HOME/e f.txt\"").status == 0
    assert (odd.root / "e f.txt").read_text() == "in a b.txt\n"
    assert odd("rm '*star*.txt' 'q?.txt' '[x].txt'").status == 0
    assert not any((odd.root / name).exists() for name in ["*star*.txt", "q?.txt", "[x].txt"])
    assert (odd.root / "x.txt").exists()  # `[x].txt` quoted never meant x.txt


@pytest.mark.parametrize(
    ("line", "out"),
    [
        ('grep -l "\'" *', "it's.txt\n"),
        ("grep -rl ï .", "./ünï.txt\n"),
        ("find . -name 'ü*'", "./ünï.txt\n"),
        ("find . -iname 'ÜNÏ*'", "./ünï.txt\n"),
        ("find . -name '[*]*'", "./*star*.txt\n"),
        ("wc -l 'ünï.txt' 'a b.txt'", "1 ünï.txt\n1 a b.txt\n2 total\n"),
    ],
)
def test_search_tools_print_odd_names_as_they_are(odd: Terminal, line: str, out: str) -> None:
    assert odd(line).out == out


def test_a_name_with_a_leading_dash_needs_dash_dash_or_a_path(term: Terminal) -> None:
    term.write("-dash.txt", "dash\n")
    result = term("rm -dash.txt")
    assert result.err == "rm: invalid option -- 'a'\nTry 'rm --help' for more information.\n"
    assert (term.root / "-dash.txt").exists()
    assert term("cat ./-dash.txt").out == "dash\n"
    assert term("mv -- -dash.txt -other.txt").status == 0
    assert term("ls").out == "-other.txt\n"


def test_a_folder_with_spaces_is_a_place_to_be(term: Terminal) -> None:
    assert term("mkdir 'my dir' && cd 'my dir' && pwd").out == f"{term.root}/my dir\n"
    assert term("touch 'a file' && cd .. && ls 'my dir'").out == "a file\n"
    assert term("tree").out == ".\n└── my dir\n    └── a file\n\n1 directory, 1 file\n"
