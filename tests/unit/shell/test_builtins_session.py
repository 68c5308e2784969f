"""Builtins about the shell's state: cd pwd echo env export unset which help clear."""

from __future__ import annotations

from client.core.shell import Io, Shell, builtins

from .conftest import Terminal


def test_cd_and_pwd(term: Terminal) -> None:
    (term.root / "a" / "b").mkdir(parents=True)
    assert term("cd a/b && pwd").out == f"{term.root}/a/b\n"
    assert term("cd ..; pwd").out == f"{term.root}/a\n"
    assert term.shell.vars["PWD"] == f"{term.root}/a"
    assert term.shell.vars["OLDPWD"] == f"{term.root}/a/b"
    assert term("cd").status == 0 and term.shell.cwd == str(term.root)  # HOME
    result = term("cd -")  # back, printing where
    assert result.out == f"{term.root}/a\n" and term.shell.cwd == f"{term.root}/a"
    assert term("cd ~/a/b").status == 0 and term.shell.cwd == f"{term.root}/a/b"
    assert term("cd /").status == 0 and term("pwd").out == "/\n"


def test_cd_errors(term: Terminal) -> None:
    term.write("f.txt")
    result = term("cd nope")
    assert (result.status, result.err) == (1, "cospai-sh: cd: nope: No such file or directory\n")
    assert term("cd f.txt").err == "cospai-sh: cd: f.txt: Not a directory\n"
    assert term("cd a b").err == "cospai-sh: cd: too many arguments\n"
    assert term("cd -").err == "cospai-sh: cd: OLDPWD not set\n"
    term("unset HOME")
    assert term("cd").err == "cospai-sh: cd: HOME not set\n"
    assert term.shell.cwd == str(term.root)


def test_echo_flags(term: Terminal) -> None:
    assert term("echo a  b").out == "a b\n"
    assert term("echo").out == "\n"
    assert term("echo -n a").out == "a"
    assert term(r"echo -e 'a\tb\nc'").out == "a\tb\nc\n"
    assert term(r"echo 'a\tb'").out == "a\\tb\n"  # no -e: backslashes stay
    assert term(r"echo -ne 'x\n'").out == "x\n"
    assert term(r"echo -e 'stop\chere'").out == "stop"
    assert term("echo -x -- -n").out == "-x -- -n\n"  # not options: printed


def test_export_env_and_unset(term: Terminal) -> None:
    term("A=1")
    assert "A=1" not in term("env").out  # a shell variable, not exported
    assert term("echo $A").out == "1\n"
    term("export A")
    assert "A=1\n" in term("env").out
    term("export B='two words' C")
    assert "B=two words\n" in term("env").out
    assert 'declare -x B="two words"\n' in term("export").out
    term("unset A")
    assert term("echo $A").out == "\n" and "A=" not in term("env").out
    result = term("export 1x=2")
    assert (result.status, result.err) == (1, "cospai-sh: export: '1x=2': not a valid identifier\n")


def test_env_runs_a_command_with_added_variables(term: Terminal) -> None:
    seen: list[dict[str, str]] = []

    async def show(argv: list[str], io: Io, shell: Shell) -> int:
        seen.append(io.env)
        return 0

    term.shell.register("show", show)
    assert term("env X=1 show").status == 0
    assert seen[0]["X"] == "1" and "X" not in term.shell.vars
    assert term("env X=1").out.endswith("X=1\n")
    assert term("env X=1 nope").status == 127


def test_which(term: Terminal) -> None:
    result = term("which ls cd nope")
    assert result.out == "ls: shell builtin\ncd: shell builtin\n"
    assert result.err == "which: no nope in (builtins, commands)\n"
    assert result.status == 1
    assert term("which ls").status == 0
    assert term("which").status == 1


def test_help_lists_every_command_with_a_line(term: Terminal) -> None:
    out = term("help").out
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == sorted(builtins.names())
    assert all(len(line.split(None, 1)) == 2 for line in out.splitlines())
    assert term("help cd").out.startswith("cd  change the working folder")
    result = term("help nope")
    assert (result.status, result.err) == (1, "cospai-sh: help: no help topics match 'nope'\n")


def test_the_required_builtins_exist() -> None:
    wanted = {
        "cd",
        "ls",
        "cat",
        "echo",
        "mkdir",
        "rm",
        "mv",
        "cp",
        "touch",
        "pwd",
        "clear",
        "env",
        "export",
        "history",
        "which",
        "head",
        "tail",
        "grep",
        "wc",
        "find",
        "tree",
        "help",
        "exit",
    }
    assert wanted <= set(builtins.names())


def test_clear_writes_the_ansi_sequence(term: Terminal) -> None:
    assert term("clear").out == "\x1b[H\x1b[2J\x1b[3J"


def test_true_and_false(term: Terminal) -> None:
    assert (term("true").status, term("false").status) == (0, 1)
