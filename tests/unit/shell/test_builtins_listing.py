"""ls, find and tree."""

from __future__ import annotations

import os
import re

from client.core.shell.builtins.listing import human, when

from .conftest import Terminal


def tree_of(term: Terminal) -> None:
    for name in ["b.txt", "a.py", ".hidden", "src/main.py", "src/lib/util.py", "docs/x.md"]:
        term.write(name, "12345")


def test_ls_names_one_a_line_sorted(term: Terminal) -> None:
    tree_of(term)
    assert term("ls").out == "a.py\nb.txt\ndocs\nsrc\n"
    assert term("ls -a").out == ".\n..\n.hidden\na.py\nb.txt\ndocs\nsrc\n"
    assert term("ls -A").out == ".hidden\na.py\nb.txt\ndocs\nsrc\n"
    assert term("ls -1 src").out == "lib\nmain.py\n"
    assert term("ls a.py").out == "a.py\n"


def test_ls_several_operands_get_headers(term: Terminal) -> None:
    tree_of(term)
    assert term("ls b.txt src docs").out == "b.txt\n\ndocs:\nx.md\n\nsrc:\nlib\nmain.py\n"


def test_ls_recursive(term: Terminal) -> None:
    tree_of(term)
    assert term("ls -R src").out == "src:\nlib\nmain.py\n\nsrc/lib:\nutil.py\n"
    assert term("ls -R").out.startswith(".:\na.py\nb.txt\ndocs\nsrc\n\n./docs:\nx.md\n\n./src:")


def test_ls_long(term: Terminal) -> None:
    tree_of(term)
    lines = term("ls -l").out.splitlines()
    assert len(lines) == 4
    pattern = re.compile(r"[-d][-rwx]{9} +\d+ \w{3} [ \d]\d (\d\d:\d\d| \d{4}) \S+")
    assert all(pattern.fullmatch(line) for line in lines), lines
    assert lines[0].startswith("-rw") and lines[0].split()[1::4] == ["5", "a.py"]
    assert lines[2].startswith("d") and lines[2].endswith("docs")
    combined = term("ls -la").out.splitlines()
    assert [line.split()[-1] for line in combined][:3] == [".", "..", ".hidden"]
    assert term("ls -al").out == term("ls -l -a").out == term("ls -la").out


def test_ls_times_as_gnu_prints_them() -> None:
    import time

    now = time.mktime((2026, 11, 25, 12, 0, 0, 0, 0, -1))
    recent = time.mktime((2026, 11, 5, 9, 7, 0, 0, 0, -1))
    old = time.mktime((2024, 3, 15, 9, 7, 0, 0, 0, -1))
    assert when(recent, now) == "Nov  5 09:07"
    assert when(old, now) == "Mar 15  2024"


def test_ls_human_sizes(term: Terminal) -> None:
    (term.root / "big").write_bytes(b"x" * 1536)
    assert " 1.5K " in term("ls -lh big").out
    assert [human(n) for n in (0, 1023, 1024, 1536, 10 * 1024, 10_500, 5 * 1024**2)] == [
        "0",
        "1023",
        "1.0K",
        "1.5K",
        "10K",
        "11K",
        "5.0M",
    ]


def test_ls_errors(term: Terminal) -> None:
    term.write("a")
    result = term("ls nope a")
    assert result.status == 2
    assert result.err == "ls: cannot access 'nope': No such file or directory\n"
    assert result.out == "a\n"
    result = term("ls -Z")
    assert (result.status, result.err) == (
        2,
        "ls: invalid option -- 'Z'\nTry 'ls --help' for more information.\n",
    )


def test_ls_columns_on_a_terminal(term: Terminal) -> None:
    for name in ["alpha", "beta", "gamma", "delta", "epsilon"]:
        term.write(name)
    term.streams.columns = 30
    assert term("ls").out == "alpha  delta    gamma\nbeta   epsilon\n"
    assert term("ls -1").out == "alpha\nbeta\ndelta\nepsilon\ngamma\n"
    assert term("ls | cat").out == "alpha\nbeta\ndelta\nepsilon\ngamma\n"  # not a terminal


def test_find(term: Terminal) -> None:
    tree_of(term)
    assert term("find src").out == "src\nsrc/lib\nsrc/lib/util.py\nsrc/main.py\n"
    assert term("find . -name '*.py'").out == "./a.py\n./src/lib/util.py\n./src/main.py\n"
    assert term("find -type d").out == ".\n./docs\n./src\n./src/lib\n"
    assert term("find . -maxdepth 1 -type f").out == "./.hidden\n./a.py\n./b.txt\n"
    assert term("find src -mindepth 2").out == "src/lib/util.py\n"
    assert term("find . -iname 'X.MD'").out == "./docs/x.md\n"
    assert term("find src docs -name '*.md'").out == "docs/x.md\n"


def test_find_errors(term: Terminal) -> None:
    result = term("find nope")
    assert (result.status, result.err) == (1, "find: 'nope': No such file or directory\n")
    assert term("find . -bogus").err == "find: unknown predicate '-bogus'\n"
    assert term("find . -name").err == "find: missing argument to '-name'\n"
    assert term("find . -type x").err == "find: Unknown argument to -type: x\n"
    assert term("find . -maxdepth z").status == 1


def test_tree(term: Terminal) -> None:
    tree_of(term)
    assert term("tree").out == (
        ".\n"
        "├── a.py\n"
        "├── b.txt\n"
        "├── docs\n"
        "│   └── x.md\n"
        "└── src\n"
        "    ├── lib\n"
        "    │   └── util.py\n"
        "    └── main.py\n"
        "\n"
        "3 directories, 5 files\n"
    )
    assert term("tree -L 1 src").out == "src\n├── lib\n└── main.py\n\n1 directory, 1 file\n"
    assert ".hidden" in term("tree -a").out
    assert term("tree -d -L 1").out == ".\n├── docs\n└── src\n\n2 directories\n"


def test_tree_errors(term: Terminal) -> None:
    result = term("tree nope")
    assert result.status == 2 and result.out.startswith("nope  [error opening dir]\n")
    assert term("tree -L 0").err == "tree: Invalid level, must be greater than 0.\n"
    assert os.path.exists(term.root)
