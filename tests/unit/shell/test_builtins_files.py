"""File builtins: cat mkdir rm mv cp touch, their flags, messages and statuses."""

from __future__ import annotations

import os

from .conftest import Terminal


def test_cat_files_stdin_and_numbers(term: Terminal) -> None:
    term.write("a.txt", "one\ntwo\n")
    term.write("b.txt", "three")
    assert term("cat a.txt b.txt").out == "one\ntwo\nthree"
    assert term("cat -n a.txt b.txt").out == "     1\tone\n     2\ttwo\n     3\tthree"
    assert term("echo x | cat - a.txt").out == "x\none\ntwo\n"
    assert term("echo x | cat").out == "x\n"


def test_cat_errors_keep_going(term: Terminal) -> None:
    term.write("a.txt", "a\n")
    (term.root / "d").mkdir()
    result = term("cat nope a.txt d")
    assert result.status == 1
    assert result.out == "a\n"
    assert result.err == "cat: nope: No such file or directory\ncat: d: Is a directory\n"
    result = term("cat -z")
    assert result.status == 1
    assert result.err == "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n"


def test_mkdir(term: Terminal) -> None:
    assert term("mkdir a b").status == 0
    assert (term.root / "a").is_dir() and (term.root / "b").is_dir()
    result = term("mkdir a")
    assert (result.status, result.err) == (1, "mkdir: cannot create directory 'a': File exists\n")
    result = term("mkdir x/y")
    assert result.err == "mkdir: cannot create directory 'x/y': No such file or directory\n"
    assert term("mkdir -p x/y/z a").status == 0 and (term.root / "x/y/z").is_dir()
    assert term("mkdir -pv q").out == "mkdir: created directory 'q'\n"
    term.write("f")
    assert term("mkdir -p f").err == "mkdir: cannot create directory 'f': File exists\n"
    result = term("mkdir")
    assert result.err == "mkdir: missing operand\nTry 'mkdir --help' for more information.\n"


def test_rm(term: Terminal) -> None:
    term.write("a.txt")
    term.write("d/inner.txt")
    assert term("rm a.txt").status == 0 and not (term.root / "a.txt").exists()
    result = term("rm a.txt")
    assert (result.status, result.err) == (
        1,
        "rm: cannot remove 'a.txt': No such file or directory\n",
    )
    assert term("rm d").err == "rm: cannot remove 'd': Is a directory\n"
    assert term("rm -f a.txt nothing").status == 0  # -f: missing files are fine
    assert term("rm -f").status == 0
    assert term("rm").err == "rm: missing operand\nTry 'rm --help' for more information.\n"
    assert term("rm -rf d").status == 0 and not (term.root / "d").exists()


def test_rm_recursive_variants_and_safety(term: Terminal) -> None:
    for flags in ["-r", "-R", "-fr", "-r -f", "--recursive"]:
        term.write("d/x/y.txt")
        assert term(f"rm {flags} d").status == 0, flags
        assert not (term.root / "d").exists()
    (term.root / "empty").mkdir()
    assert term("rm -d empty").status == 0
    assert "refusing to remove '.' or '..'" in term("rm -rf .").err
    assert term.root.exists()
    term.write("v.txt")
    assert term("rm -v v.txt").out == "removed 'v.txt'\n"


def test_mv(term: Terminal) -> None:
    term.write("a.txt", "A")
    assert term("mv a.txt b.txt").status == 0
    assert (term.root / "b.txt").read_text() == "A" and not (term.root / "a.txt").exists()
    (term.root / "d").mkdir()
    term.write("c.txt")
    assert term("mv b.txt c.txt d").status == 0
    assert sorted(os.listdir(term.root / "d")) == ["b.txt", "c.txt"]
    assert term("mv d e").status == 0 and (term.root / "e/b.txt").exists()  # rename a folder
    assert term("mv -v e/b.txt .").out == "renamed 'e/b.txt' -> './b.txt'\n"


def test_mv_errors(term: Terminal) -> None:
    term.write("a.txt")
    term.write("b.txt")
    (term.root / "d").mkdir()
    assert term("mv nope x").err == "mv: cannot stat 'nope': No such file or directory\n"
    assert term("mv").err == "mv: missing file operand\nTry 'mv --help' for more information.\n"
    assert term("mv a.txt").err == (
        "mv: missing destination file operand after 'a.txt'\n"
        "Try 'mv --help' for more information.\n"
    )
    assert term("mv a.txt b.txt c").err == "mv: target 'c' is not a directory\n"
    assert term("mv d d/sub").err == "mv: cannot move 'd' to a subdirectory of itself, 'd/sub'\n"
    assert term("mv a.txt a.txt").err == "mv: 'a.txt' and 'a.txt' are the same file\n"
    assert term("mv a.txt b.txt").status == 0  # overwrites a file
    term.write("x/d/1")
    term.write("y/d/2")
    assert term("mv x/d y").err == "mv: cannot move 'x/d' to 'y/d': Directory not empty\n"
    (term.root / "y/d/2").unlink()
    assert term("mv x/d y").status == 0 and (term.root / "y/d/1").exists()  # onto an empty one


def test_cp(term: Terminal) -> None:
    term.write("a.txt", "A")
    assert term("cp a.txt b.txt").status == 0 and (term.root / "b.txt").read_text() == "A"
    term.write("src/x/y.txt", "Y")
    result = term("cp src dst")
    assert (result.status, result.err) == (1, "cp: -r not specified; omitting directory 'src'\n")
    assert term("cp -r src dst").status == 0 and (term.root / "dst/x/y.txt").read_text() == "Y"
    assert term("cp -r src dst").status == 0 and (term.root / "dst/src/x/y.txt").exists()
    assert term("cp a.txt b.txt dst").status == 0 and (term.root / "dst/a.txt").exists()
    assert term("cp -R src other").status == 0 and (term.root / "other/x").is_dir()


def test_cp_errors(term: Terminal) -> None:
    term.write("a.txt")
    (term.root / "d").mkdir()
    assert term("cp nope x").err == "cp: cannot stat 'nope': No such file or directory\n"
    assert term("cp a.txt a.txt").err == "cp: 'a.txt' and 'a.txt' are the same file\n"
    assert term("cp -r d d/in").err == "cp: cannot copy a directory, 'd', into itself, 'd/in'\n"
    result = term("cp a.txt missing/x.txt")
    assert (
        result.err == "cp: cannot create regular file 'missing/x.txt': No such file or directory\n"
    )
    assert term("cp a.txt a.txt d2").err == "cp: target 'd2' is not a directory\n"


def test_touch(term: Terminal) -> None:
    assert term("touch a b").status == 0
    assert (term.root / "a").read_text() == "" and (term.root / "b").exists()
    os.utime(term.root / "a", (0, 0))
    term("touch a")
    assert (term.root / "a").stat().st_mtime > 0
    assert term("touch -c nothing").status == 0 and not (term.root / "nothing").exists()
    result = term("touch x/y")
    assert (result.status, result.err) == (
        1,
        "touch: cannot touch 'x/y': No such file or directory\n",
    )
    assert term("touch").err.startswith("touch: missing file operand\n")
