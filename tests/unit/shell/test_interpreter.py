"""client.core.shell.interpreter: redirections, pipes, && || ;, statuses, the command
registry, Ctrl+C, exit and history."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from client.core.shell import Io, Shell, Streams

from .conftest import Terminal, run


def test_output_redirections(term: Terminal) -> None:
    assert term("echo one > f.txt").out == ""
    assert (term.root / "f.txt").read_text() == "one\n"
    term("echo two >> f.txt")
    assert (term.root / "f.txt").read_text() == "one\ntwo\n"
    term("echo three >f.txt")
    assert (term.root / "f.txt").read_text() == "three\n"
    term("> empty.txt")  # a redirection alone creates the file
    assert (term.root / "empty.txt").read_text() == ""


def test_input_redirection(term: Terminal) -> None:
    term.write("in.txt", "b\na\n")
    assert term("cat < in.txt").out == "b\na\n"
    assert term("wc -l < in.txt").out == "2\n"


def test_stderr_redirections(term: Terminal) -> None:
    result = term("ls missing 2> err.txt")
    assert result.status == 2 and result.err == ""
    assert (term.root / "err.txt").read_text().startswith("ls: cannot access 'missing'")
    term("ls missing . > all.txt 2>&1")
    both = (term.root / "all.txt").read_text()
    assert "cannot access" in both and "all.txt" in both
    term("ls missing &> amp.txt")
    assert "cannot access" in (term.root / "amp.txt").read_text()
    result = term("echo to-err >&2")
    assert result.out == "" and result.err == "to-err\n"


def test_redirection_order_matters(term: Terminal) -> None:
    # `2>&1 > f` points stderr at the terminal's stdout first, then stdout at the file.
    result = term("ls missing 2>&1 > f.txt")
    assert "cannot access" in result.out
    assert (term.root / "f.txt").read_text() == ""


def test_redirection_errors(term: Terminal) -> None:
    result = term("cat < nope.txt")
    assert (result.status, result.err) == (1, "cospai-sh: nope.txt: No such file or directory\n")
    (term.root / "d").mkdir()
    assert term("echo x > d").err == "cospai-sh: d: Is a directory\n"
    assert term("echo x > missing/f").err == "cospai-sh: missing/f: No such file or directory\n"
    term.write("a1")
    term.write("a2")
    assert term("echo x > a*").err == "cospai-sh: a*: ambiguous redirect\n"


def test_bytes_survive_a_copy_through_redirection(term: Terminal) -> None:
    data = bytes(range(256))
    (term.root / "a.bin").write_bytes(data)
    term("cat a.bin > b.bin")
    assert (term.root / "b.bin").read_bytes() == data


def test_pipes_pass_text_along(term: Terminal) -> None:
    term.write("f.txt", "apple\nbanana\ncherry\napricot\n")
    result = term("cat f.txt | grep ap | wc -l")
    assert (result.status, result.out) == (0, "2\n")
    assert term("echo hi | cat -n").out == "     1\thi\n"
    result = term("cat f.txt | grep zzz")
    assert result.status == 1  # the last stage's status


def test_a_pipe_stage_may_redirect(term: Terminal) -> None:
    result = term("ls missing 2>&1 | grep -c cannot")
    assert result.out == "1\n"
    assert term("echo hi > f.txt | cat").out == ""  # stdout went to the file


def test_and_or_semicolon(term: Terminal) -> None:
    assert term("true && echo yes").out == "yes\n"
    assert term("false && echo yes").out == ""
    assert term("false || echo no").out == "no\n"
    assert term("true || echo no").out == ""
    assert term("false && echo a || echo b").out == "b\n"
    assert term("true && false || echo c; echo d").out == "c\nd\n"
    result = term("false; true")
    assert result.status == 0
    assert term("true; false").status == 1


def test_status_is_kept_between_lines(term: Terminal) -> None:
    term("ls missing")
    assert term("echo $?").out == "2\n"
    term("false && echo x")
    assert term("echo $?").out == "1\n"


def test_unknown_command(term: Terminal) -> None:
    result = term("frobnicate a b")
    assert (result.status, result.err) == (127, "cospai-sh: frobnicate: command not found\n")
    assert term("echo $?").out == "127\n"
    assert term("./nope").err == "cospai-sh: ./nope: No such file or directory\n"
    term.write("run.sh")
    result = term("./run.sh")
    assert result.status == 127 and "try: python ./run.sh" in result.err


def test_syntax_errors_print_and_return_2(term: Terminal) -> None:
    result = term("echo a | | b")
    assert (result.status, result.err) == (2, "cospai-sh: syntax error near unexpected token '|'\n")
    assert term("echo $?").out == "2\n"


def test_registered_commands_follow_the_protocol(term: Terminal) -> None:
    calls: list[tuple[list[str], str | None, dict[str, str], str]] = []

    async def tool(argv: list[str], io: Io, shell: Shell) -> int:
        calls.append((argv, await io.read(), io.env, shell.cwd))
        io.out("out\n")
        io.err("err\n")
        return 3

    term.shell.register("tool", tool, "a test tool")
    term("export SEEN=1; HIDDEN=1")
    result = term("echo in | X=2 tool a 'b c'")
    assert (result.status, result.out, result.err) == (3, "out\n", "err\n")
    argv, stdin, env, cwd = calls[0]
    assert argv == ["tool", "a", "b c"] and stdin == "in\n" and cwd == str(term.root)
    assert env["SEEN"] == "1" and env["X"] == "2" and "HIDDEN" not in env
    assert "X" not in term.shell.vars  # `X=2 cmd` does not outlive cmd
    assert term("which tool").out == "tool: command\n"
    assert "a test tool" in term("help tool").out


def test_a_command_reads_the_terminal_when_nothing_is_piped(term: Terminal) -> None:
    async def ask(argv: list[str], io: Io, shell: Shell) -> int:
        line = await io.readline()
        io.out(f"got {line!r}\n")
        return 0

    term.shell.register("ask", ask)
    term.typed = ["yes\n"]
    assert term("ask").out == "got 'yes\\n'\n"
    assert term("ask").out == "got None\n"  # Ctrl+D
    assert term("echo piped | ask").out == "got 'piped\\n'\n"
    term.typed = ["a\n", "b\n"]
    assert term("cat").out == "a\nb\n"


def test_an_engine_command_may_replace_a_builtin(term: Terminal) -> None:
    async def better_ls(argv: list[str], io: Io, shell: Shell) -> int:
        io.out("mine\n")
        return 0

    term.shell.register("ls", better_ls)
    assert term("ls").out == "mine\n"
    assert term("which ls").out == "ls: command\n"


def test_registry_refuses_bad_names(term: Terminal) -> None:
    async def noop(argv: list[str], io: Io, shell: Shell) -> int:
        return 0

    for name in ["", "a b", "x/y"]:
        with pytest.raises(ValueError):
            term.shell.register(name, noop)


def test_ctrl_c_ends_the_line_with_130(term: Terminal) -> None:
    ran: list[str] = []

    async def loop(argv: list[str], io: Io, shell: Shell) -> int:
        io.out("working\n")
        raise KeyboardInterrupt

    async def after(argv: list[str], io: Io, shell: Shell) -> int:
        ran.append("after")
        return 0

    term.shell.register("loop", loop)
    term.shell.register("after", after)
    result = term("loop; after")
    assert (result.status, result.out) == (130, "working\n^C\n")
    assert ran == []  # the rest of the line was dropped, as bash does on Ctrl+C
    assert term("echo $?").out == "130\n"
    assert term("after").status == 0  # the shell lives on


def test_ctrl_c_inside_a_pipeline(term: Terminal) -> None:
    async def loop(argv: list[str], io: Io, shell: Shell) -> int:
        raise KeyboardInterrupt

    term.shell.register("loop", loop)
    result = term("echo a | loop | cat > out.txt")
    assert result.status == 130 and result.out == "^C\n"


def test_failing_commands_do_not_take_the_shell_down(term: Terminal) -> None:
    async def broken(argv: list[str], io: Io, shell: Shell) -> int:
        raise RuntimeError("boom")

    async def exits(argv: list[str], io: Io, shell: Shell) -> int:
        raise SystemExit(int(argv[1]) if len(argv) > 1 else None)

    term.shell.register("broken", broken)
    term.shell.register("exits", exits)
    result = term("broken")
    assert (result.status, result.err) == (1, "cospai-sh: broken: boom\n")
    assert term("exits 4").status == 4
    assert term("exits").status == 0
    assert term.shell.exited is None


def test_exit_stops_the_line_and_tells_the_engine(term: Terminal) -> None:
    result = term("exit 3; echo never")
    assert (result.status, result.out, term.shell.exited) == (3, "", 3)


def test_exit_forms(term: Terminal) -> None:
    term("false")
    term("exit")
    assert term.shell.exited == 1  # the last status
    term.shell.exited = None
    assert term("exit 256").status == 0
    term.shell.exited = None
    result = term("exit abc")
    assert (result.status, result.err) == (2, "cospai-sh: exit: abc: numeric argument required\n")
    term.shell.exited = None
    result = term("exit 1 2")
    assert result.err == "cospai-sh: exit: too many arguments\n" and term.shell.exited is None


def test_history_records_lines(term: Terminal) -> None:
    term("echo a")
    term("echo a")  # a repeat is kept once
    term("   ")
    term("echo b")
    assert term("history").out == "    1  echo a\n    2  echo b\n    3  history\n"
    assert term("history 2").out == "    3  history\n    4  history 2\n"
    term("history -c")
    assert term.shell.history.dump() == []
    assert term("history x").status == 2
    run(term.shell.run_line("echo hidden", record=False))
    assert "hidden" not in term.shell.history.dump()


def test_prompt_shows_the_folder_from_home(term: Terminal) -> None:
    assert term.shell.prompt() == "\x1b[1;34m~\x1b[0m $ "
    (term.root / "src").mkdir()
    term("cd src")
    assert "~/src" in term.shell.prompt()
    term("cd /")
    assert term.shell.prompt() == "\x1b[1;34m/\x1b[0m $ "


def test_two_shells_keep_their_own_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    one, two = Terminal(tmp_path), Terminal(tmp_path)
    one("cd a")
    assert two("pwd").out == f"{tmp_path}\n"
    assert one("pwd").out == f"{tmp_path / 'a'}\n"


@pytest.mark.skipif(
    sys.platform == "emscripten",
    reason="Pyodide's loop is already running and asyncio.run cannot block on it",
)
def test_runs_under_a_real_event_loop_too(tmp_path: Path) -> None:
    import asyncio

    out: list[str] = []
    shell = Shell(str(tmp_path), streams=Streams(out.append, out.append))

    async def waits(argv: list[str], io: Io, shell: Shell) -> int:
        await asyncio.sleep(0.001)  # a real future, as pip's downloads would be
        io.out("waited\n")
        return 0

    shell.register("waits", waits)
    assert asyncio.run(shell.run_line("waits | cat && echo done")) == 0
    assert "".join(out) == "waited\ndone\n"
