"""GNU-style options across the builtins (client/core/shell/options.py): each refuses an
unknown option, an unknown long one and a missing value in coreutils' words and status;
`--` ends options; long options take `=VALUE` or the next word; options may follow
operands."""

from __future__ import annotations

import pytest

from .conftest import Terminal

# Usage errors end in status 2 for the tools that keep 1 for "not found" (grep, ls) or
# "unsorted" (sort), as GNU's do.
STATUS = {
    "cat": 1,
    "mkdir": 1,
    "rm": 1,
    "mv": 1,
    "cp": 1,
    "touch": 1,
    "head": 1,
    "tail": 1,
    "wc": 1,
    "uniq": 1,
    "sort": 2,
    "grep": 2,
    "ls": 2,
    "tree": 2,
}


def usage(name: str, problem: str) -> str:
    return f"{name}: {problem}\nTry '{name} --help' for more information.\n"


@pytest.mark.parametrize("name", sorted(STATUS))
def test_an_unknown_option_is_refused_before_anything_is_done(term: Terminal, name: str) -> None:
    term.write("x", "x\n")
    result = term(f"{name} x -Z x")  # after an operand: still an option
    assert (result.status, result.out) == (STATUS[name], "")
    assert result.err == usage(name, "invalid option -- 'Z'")
    assert (term.root / "x").read_text() == "x\n"  # rm, mv, touch... changed nothing


@pytest.mark.parametrize("name", sorted(STATUS))
def test_an_unknown_long_option_is_named_whole(term: Terminal, name: str) -> None:
    result = term(f"{name} --frobnicate=3")
    assert (result.status, result.err) == (
        STATUS[name],
        usage(name, "unrecognized option '--frobnicate=3'"),
    )


@pytest.mark.parametrize(
    ("line", "letter"),
    [("head -n", "n"), ("tail -c", "c"), ("grep -e", "e"), ("tree -L", "L"), ("head --lines", "n")],
)
def test_a_missing_value_is_named(term: Terminal, line: str, letter: str) -> None:
    name = line.split()[0]
    result = term(line)
    assert result.err == usage(name, f"option requires an argument -- '{letter}'")
    assert result.status == STATUS[name]


@pytest.mark.parametrize(
    ("line", "out"),
    [
        ("head --lines=2 f", "1\n2\n"),
        ("head --lines 1 f", "1\n"),
        ("tail --bytes=2 f", "3\n"),
        ("wc --lines f", "3 f\n"),
        ("sort --reverse --numeric-sort f", "3\n2\n1\n"),
        ("head -qn1 f f", "1\n1\n"),  # flags, then a valued letter and its value
    ],
)
def test_long_options_take_their_value_joined_or_next(term: Terminal, line: str, out: str) -> None:
    term.write("f", "1\n2\n3\n")
    assert term(line).out == out


def test_double_dash_ends_options(term: Terminal) -> None:
    term.write("-n", "dash file\n")
    term.write("-v", "")
    assert term("cat -- -n").out == "dash file\n"
    assert term("grep -- -n -n").status == 1  # pattern "-n" in file "-n": no such text
    assert term("grep -e dash -- -n").out == "dash file\n"
    assert term("ls -- -v").out == "-v\n"
    result = term("rm -v")  # without `--` it is rm's own -v
    assert result.err == usage("rm", "missing operand")
    assert term("rm -v -- -v").out == "removed '-v'\n"
    assert not (term.root / "-v").exists()
    assert term("rm ./-n").status == 0 and not (term.root / "-n").exists()


def test_a_lone_dash_is_an_operand_standard_input(term: Terminal) -> None:
    term.write("f", "file\n")
    assert term("echo piped | cat f - f").out == "file\npiped\nfile\n"
    assert term("echo b | sort - f").out == "b\nfile\n"


def test_options_after_operands_count(term: Terminal) -> None:
    term.write("d/.hidden", "")
    term.write("d/shown", "")
    assert term("ls d -a").out == term("ls -a d").out
    assert ".hidden" in term("ls d -a").out
    assert term("rm d -r").status == 0 and not (term.root / "d").exists()


@pytest.mark.parametrize(
    ("line", "status", "err"),
    [
        ("find . -bogus", 1, "find: unknown predicate '-bogus'\n"),
        ("find . -o -name x", 1, "find: unknown predicate '-o'\n"),
        ("find . -name", 1, "find: missing argument to '-name'\n"),
        ("find . -type x", 1, "find: Unknown argument to -type: x\n"),
        ("tree -L 0", 2, "tree: Invalid level, must be greater than 0.\n"),
        ("tree -L x", 2, "tree: Invalid level, must be greater than 0.\n"),
    ],
)
def test_find_and_tree_refuse_what_they_do_not_know(
    term: Terminal, line: str, status: int, err: str
) -> None:
    result = term(line)
    assert (result.status, result.out, result.err) == (status, "", err)
