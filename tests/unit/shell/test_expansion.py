"""client.core.shell.expand, through the shell: variables, $?, tilde, globbing, quoting."""

from __future__ import annotations

from client.core.shell import Io, Shell

from .conftest import Terminal


def args(term: Terminal, words: str) -> list[str]:
    """The arguments a command receives (printed one a line by a tiny test command)."""
    seen: list[list[str]] = []

    async def show(argv: list[str], io: Io, shell: Shell) -> int:
        seen.append(argv[1:])
        return 0

    term.shell.register("show", show)
    result = term(f"show {words}")
    assert result.status == 0, result.err
    return seen[0]


def test_variables_plain_braced_and_missing(term: Terminal) -> None:
    term("NAME=world")
    assert args(term, "$NAME ${NAME}s x$NAME.y") == ["world", "worlds", "xworld.y"]
    assert args(term, "$MISSING a") == ["a"]  # an empty unquoted expansion vanishes
    assert args(term, '"$MISSING" a') == ["", "a"]  # a quoted one stays an argument
    assert args(term, "${MISSING:-fallback} ${#NAME}") == ["fallback", "5"]


def test_single_quotes_and_escapes_stop_expansion(term: Terminal) -> None:
    term("A=1")
    assert args(term, r"'$A' \$A \"$A\" \"\$A\"") == ["$A", "$A", '"1"', '"$A"']
    assert args(term, "'${A}' a$") == ["${A}", "a$"]


def test_status_and_pid(term: Terminal) -> None:
    term("false")
    assert args(term, "$?") == ["1"]
    assert args(term, "$?") == ["0"]
    assert args(term, "$$")[0].isdigit()


def test_unquoted_values_split_quoted_ones_do_not(term: Terminal) -> None:
    term("FILES='a  b\tc'")
    assert args(term, "$FILES") == ["a", "b", "c"]
    assert args(term, '"$FILES"') == ["a  b\tc"]
    assert args(term, "x${FILES}y") == ["xa", "b", "cy"]


def test_tilde_is_home_only_at_the_start(term: Terminal) -> None:
    home = str(term.root)
    assert args(term, "~ ~/src a~ '~' \"~\"") == [home, f"{home}/src", "a~", "~", "~"]


def test_globbing_relative_to_the_cwd(term: Terminal) -> None:
    for name in ["a.py", "b.py", "c.txt", ".hidden.py", "src/d.py", "src/e.py"]:
        term.write(name)
    assert args(term, "*.py") == ["a.py", "b.py"]  # sorted, dotfiles left out
    assert args(term, ".*.py") == [".hidden.py"]
    assert args(term, "?.txt [ab].py src/*") == ["c.txt", "a.py", "b.py", "src/d.py", "src/e.py"]
    term("cd src")
    assert args(term, "*.py ../*.txt") == ["d.py", "e.py", "../c.txt"]
    assert args(term, f"{term.root}/*.txt") == [f"{term.root}/c.txt"]


def test_a_glob_matching_nothing_stays_literal(term: Terminal) -> None:
    assert args(term, "*.none x[") == ["*.none", "x["]


def test_quoted_glob_characters_are_literal(term: Terminal) -> None:
    term.write("a.py")
    term.write("*.py")
    assert args(term, "'*.py' \"*\".py \\*.py") == ["*.py", "*.py", "*.py"]
    term("P='*.py'")
    assert args(term, "$P") == ["*.py", "a.py"]  # an unquoted variable's value globs
    assert args(term, '"$P"') == ["*.py"]


def test_assignment_values_are_not_split_or_globbed(term: Terminal) -> None:
    term.write("a.py")
    term("X=*.py Y=$HOME")
    assert term.shell.vars["X"] == "*.py"
    assert term.shell.vars["Y"] == str(term.root)


def test_bad_substitution(term: Terminal) -> None:
    result = term("echo ${a b}")
    assert result.status == 1
    assert result.err == "cospai-sh: ${a b}: bad substitution\n"


def test_command_substitution(term: Terminal) -> None:
    term.write("a.txt", "1\n2\n")
    term.write("b.txt")
    assert args(term, "$(echo one two)") == ["one", "two"]  # bare: split
    assert args(term, "\"$(echo 'one  two')\"") == ["one  two"]  # quoted: whole
    assert args(term, "'$(echo no)'") == ["$(echo no)"]  # single quotes: literal
    assert args(term, "x$(cat a.txt | wc -l)y `pwd`") == ["x2y", str(term.root)]
    assert args(term, "$(echo '*.txt')") == ["a.txt", "b.txt"]  # the output globs
    assert args(term, '"$(echo ")")"') == [")"]
    assert args(term, "$(echo $(echo nested))") == ["nested"]
    assert args(term, "$(true)") == []


def test_command_substitution_is_a_subshell(term: Terminal) -> None:
    (term.root / "sub").mkdir()
    term.write("a.txt", "1\n2\n")
    assert term("echo $(cd sub; pwd)").out == f"{term.root}/sub\n"
    assert term.shell.cwd == str(term.root)
    term("X=$(Y=2; echo 1)")
    assert term.shell.vars["X"] == "1" and "Y" not in term.shell.vars
    term("echo $(exit 3)")
    assert term.shell.exited is None
    assert term("A=$(false)").status == 1
    assert term("A=$(true)").status == 0
    assert term("echo $(ls nope) x").err == "ls: cannot access 'nope': No such file or directory\n"
    assert term("echo $(echo x > out.txt)").out == "\n"
    assert (term.root / "out.txt").read_text() == "x\n"
    assert term("cat $(echo a).txt > $(echo copy).txt").status == 0
    assert (term.root / "copy.txt").read_text() == "1\n2\n"
    result = term("echo $(echo unterminated")
    assert result.status == 2 and "matching ')'" in result.err
