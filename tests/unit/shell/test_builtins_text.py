"""head, tail, wc and grep."""

from __future__ import annotations

import pytest

from client.core.shell.builtins.grep import basic_to_python

from .conftest import Terminal

LINES = "".join(f"line {n}\n" for n in range(1, 21))


def test_head(term: Terminal) -> None:
    term.write("f", LINES)
    assert term("head f").out == "".join(f"line {n}\n" for n in range(1, 11))
    assert term("head -n 2 f").out == "line 1\nline 2\n"
    assert term("head -n2 f").out == term("head -2 f").out == "line 1\nline 2\n"
    assert term("head -c 6 f").out == "line 1"
    assert term("head -n -18 f").out == "line 1\nline 2\n"
    assert term("cat f | head -1").out == "line 1\n"


def test_tail(term: Terminal) -> None:
    term.write("f", LINES)
    assert term("tail -n 2 f").out == "line 19\nline 20\n"
    assert term("tail -3 f").out == "line 18\nline 19\nline 20\n"
    assert term("tail -n +19 f").out == "line 19\nline 20\n"
    assert term("tail f").out.startswith("line 11\n")
    assert term("tail -n 0 f").out == ""


def test_head_and_tail_with_several_files(term: Terminal) -> None:
    term.write("a", "1\n2\n")
    term.write("b", "3\n")
    assert term("head -n 1 a b").out == "==> a <==\n1\n\n==> b <==\n3\n"
    result = term("tail -n 1 a nope")
    assert result.out == "==> a <==\n2\n"
    assert result.err == "tail: cannot open 'nope' for reading: No such file or directory\n"
    assert result.status == 1
    assert term("head -n x a").err == "head: invalid number of lines: 'x'\n"


def test_wc(term: Terminal) -> None:
    term.write("f", "one two\nthree\n")
    term.write("g", "é\n")
    assert term("wc -l f").out == "2 f\n"
    assert term("wc f").out == " 2  3 14 f\n"
    assert term("wc -w f").out == "3 f\n"
    assert term("wc -c g").out == "3 g\n" and term("wc -m g").out == "2 g\n"
    assert term("wc -l f g").out == "2 f\n1 g\n3 total\n"
    assert term("cat f | wc -l").out == "2\n"
    assert term("cat f | wc").out == "      2       3      14\n"
    result = term("wc nope")
    assert (result.status, result.err) == (1, "wc: nope: No such file or directory\n")


@pytest.fixture
def code(term: Terminal) -> Terminal:
    term.write("src/app.py", "import os\ndef main():\n    print('Hello')\n")
    term.write("src/util.py", "def helper():\n    return os.sep\n")
    term.write("README.md", "hello world\nHELLO again\n")
    return term


def test_grep_basics(code: Terminal) -> None:
    assert code("grep hello README.md").out == "hello world\n"
    assert code("grep -i hello README.md").out == "hello world\nHELLO again\n"
    assert code("grep -v hello README.md").out == "HELLO again\n"
    assert code("grep -n again README.md").out == "2:HELLO again\n"
    assert code("grep -c -i hello README.md").out == "2\n"
    assert code("echo abc | grep b").out == "abc\n"


def test_grep_statuses(code: Terminal) -> None:
    assert code("grep zzz README.md").status == 1
    result = code("grep x nope")
    assert (result.status, result.err) == (2, "grep: nope: No such file or directory\n")
    result = code("grep hello README.md nope")
    assert result.status == 2 and result.out == "README.md:hello world\n"
    assert code("grep -q hello README.md").out == ""
    assert code("grep -q hello README.md").status == 0
    assert code("grep -s x nope").err == ""
    result = code("grep")
    assert result.status == 2 and result.err.startswith("Usage: grep")
    result = code("grep -E '(' README.md")
    assert result.status == 2 and result.err.startswith("grep: ")


def test_grep_several_files_and_recursion(code: Terminal) -> None:
    assert code("grep def src/app.py src/util.py").out == (
        "src/app.py:def main():\nsrc/util.py:def helper():\n"
    )
    assert code("grep -rn os src").out == (
        "src/app.py:1:import os\nsrc/util.py:2:    return os.sep\n"
    )
    code("cd src")
    assert code("grep -rl def").out == "app.py\nutil.py\n"  # no operand: the cwd, no ./
    assert code("grep -r def .").out.startswith("./app.py:def main")
    assert code("grep def .").err == "grep: .: Is a directory\n"
    assert code("grep -rc def").out == "app.py:1\nutil.py:1\n"


def test_grep_pattern_flavours(code: Terminal) -> None:
    assert code("grep 'main(' src/app.py").out == "def main():\n"  # ( is literal in BRE
    assert code(r"grep 'main\|helper' -r src").out.count("def") == 2
    assert code("grep -E 'main|helper' -r src").out.count("def") == 2
    assert code("grep -F '.sep' src/util.py").out == "    return os.sep\n"
    assert code("grep -w os -r src -c").out == "src/app.py:1\nsrc/util.py:1\n"
    assert code("grep -w o src/app.py").status == 1
    assert code("grep -o 'H[a-z]*' src/app.py").out == "Hello\n"
    assert code("grep -e -x README.md").status == 1  # -e lets a pattern start with -
    assert basic_to_python(r"a\(b\)\{2\}+?|[(]*") == r"a(b){2}\+\?\|[(]*"
    assert basic_to_python("*a") == r"\*a"


def test_grep_binary_files(code: Terminal) -> None:
    (code.root / "blob.bin").write_bytes(b"abc\0hello\n")
    assert code("grep hello blob.bin").out == "Binary file blob.bin matches\n"


def test_sort(term: Terminal) -> None:
    term.write("f", "b\n10\na\n9\nB\na\n")
    assert term("sort f").out == "10\n9\nB\na\na\nb\n"
    assert term("sort -r f").out == "b\na\na\nB\n9\n10\n"
    assert term("sort -n f").out == "B\na\na\nb\n9\n10\n"
    assert term("sort -u f").out == "10\n9\nB\na\nb\n"
    assert term("sort -f f").out == "10\n9\na\na\nB\nb\n"
    assert term("echo c | sort - f").out.endswith("b\nc\n")
    result = term("sort nope")
    assert (result.status, result.err) == (2, "sort: nope: No such file or directory\n")


def test_uniq(term: Terminal) -> None:
    term.write("f", "a\na\nb\na\nA\n")
    assert term("uniq f").out == "a\nb\na\nA\n"
    assert term("uniq -c f").out == "      2 a\n      1 b\n      1 a\n      1 A\n"
    assert term("uniq -i f").out == "a\nb\na\n"
    assert term("uniq -d f").out == "a\n"
    assert term("uniq -u f").out == "b\na\nA\n"
    assert term("sort f | uniq -c").out == "      1 A\n      3 a\n      1 b\n"
    assert term("uniq nope").err == "uniq: nope: No such file or directory\n"
