"""`python` in the shell under CPython: files, -c, -m, the REPL, tracebacks, exit codes,
terminal input, sys.path, and a fresh start for the project's modules on every run."""

from __future__ import annotations

import os
import signal
import sys

from client.core import late_interrupt
from client.worker import python_cmd
from client.worker.python_cmd import Invocation, Usage, parse

from .conftest import Terminal

# The venv's pytest plugins (playwright) would clash with the outer run: load none.
PYTEST = "PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 python -m pytest -q -p no:cacheprovider --color=no"


def test_a_file_runs_as_main_with_argv_as_typed(term: Terminal) -> None:
    term.write("app.py", "import sys\nprint(__name__, sys.argv)\nprint(__file__)\n")
    result = term("python app.py one 'two words'")
    assert result.status == 0, result.err
    assert result.out == (f"__main__ ['app.py', 'one', 'two words']\n{term.root / 'app.py'}\n")


def test_a_file_in_a_subfolder_sees_its_own_folder_and_the_project(term: Terminal) -> None:
    term.write("lib.py", "NAME = 'project lib'\n")
    term.write("tools/near.py", "NAME = 'beside the script'\n")
    term.write(
        "tools/run.py",
        "import sys, lib, near\nprint(lib.NAME, '|', near.NAME)\nprint(sys.path[:2])\n",
    )
    result = term("python tools/run.py")
    assert result.out.splitlines() == [
        "project lib | beside the script",
        str([str(term.root / "tools"), str(term.root)]),
    ]
    assert str(term.root / "tools") not in sys.path  # put back afterwards


def test_dash_c_gets_its_arguments(term: Terminal) -> None:
    result = term("python -c 'import sys; print(sys.argv); print(__name__)' a b")
    assert (result.status, result.out) == (0, "['-c', 'a', 'b']\n__main__\n")
    assert term("python -c'print(7)'").out == "7\n"


def test_dash_m_runs_a_project_module_and_a_package(term: Terminal) -> None:
    term.write(
        "greet.py",
        "import sys\nif __name__ == '__main__':\n"
        "    print('hello', sys.argv[1:], sys.argv[0].endswith('greet.py'))\n",
    )
    term.write("pkg/__init__.py", "")
    term.write("pkg/__main__.py", "print('pkg main')\n")
    assert term("python -m greet x y").out == "hello ['x', 'y'] True\n"
    assert term("python -m pkg").out == "pkg main\n"
    assert term("python -m json.tool --help").status == 0  # the standard library too


def test_a_folder_runs_its_main_or_says_it_has_none(term: Terminal) -> None:
    term.write("app/__main__.py", "import sys\nprint('folder main', sys.argv[1:])\n")
    term.write("empty/x.txt")
    assert term("python app 1").out == "folder main ['1']\n"
    result = term("python empty")
    assert result.status == 1
    assert result.err == f"python: can't find '__main__' module in {str(term.root / 'empty')!r}\n"


def test_dash_m_of_a_missing_module_says_so(term: Terminal) -> None:
    result = term("python -m no_such_thing")
    assert (result.status, result.err) == (1, "python: No module named no_such_thing\n")


def test_traceback_is_cpythons_without_our_frames(term: Terminal) -> None:
    term.write("bad.py", "def f():\n    return 1 / 0\n\nf()\n")
    result = term("python bad.py")
    assert result.status == 1
    lines = result.err.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1] == f'  File "{term.root / "bad.py"}", line 4, in <module>'
    assert lines[-1] == "ZeroDivisionError: division by zero"
    assert "client/worker" not in result.err and "runpy" not in result.err


def test_traceback_of_dash_c_and_dash_m(term: Terminal) -> None:
    assert term("python -c 'x = 1\nundefined'").err == (
        'Traceback (most recent call last):\n  File "<string>", line 2, in <module>\n'
        "NameError: name 'undefined' is not defined\n"
    )
    term.write("boom.py", "raise ValueError('no')\n")
    err = term("python -m boom").err
    assert err.startswith('Traceback (most recent call last):\n  File "') and "runpy" not in err
    assert err.endswith("ValueError: no\n")


def test_a_syntax_error_has_no_traceback_header(term: Terminal) -> None:
    term.write("broken.py", "print('ok'\n")
    result = term("python broken.py")
    assert result.status == 1
    assert result.err.startswith(f'  File "{term.root / "broken.py"}", line 1')
    assert "SyntaxError" in result.err and "Traceback" not in result.err


def test_system_exit_codes(term: Terminal) -> None:
    assert term("python -c 'import sys; sys.exit(3)'").status == 3
    assert term("python -c 'import sys; sys.exit()'").status == 0
    assert term("python -c 'raise SystemExit(256)'").status == 0  # as a shell sees it
    result = term("python -c 'import sys; sys.exit(\"bye\")'")
    assert (result.status, result.err) == (1, "bye\n")
    assert term("python -c 'import sys; sys.exit(3)' || echo failed $?").out == "failed 3\n"


def test_keyboard_interrupt_ends_the_line_with_130(term: Terminal) -> None:
    result = term("python -c 'raise KeyboardInterrupt'; echo not reached")
    assert result.status == 130
    assert result.err.endswith('File "<string>", line 1, in <module>\nKeyboardInterrupt\n')
    assert "not reached" not in result.out


def test_ctrl_c_from_the_workers_sigint_handler_shows_no_frame_of_it(term: Terminal) -> None:
    previous = signal.signal(signal.SIGINT, late_interrupt.handler(lambda: True))
    try:
        result = term("python -c 'import signal; signal.raise_signal(signal.SIGINT)'")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert result.status == 130
    assert result.err.endswith('File "<string>", line 1, in <module>\nKeyboardInterrupt\n')
    assert "late_interrupt" not in result.err
    assert sys.gettrace() is None  # it reached the command's handler: no more watching


def test_input_reads_the_terminal_and_eof_is_eoferror(term: Terminal) -> None:
    term.write("ask.py", "name = input('name? ')\nprint('hi', name)\n")
    term.typed = ["Ada\n"]
    assert term("python ask.py").out == "name? hi Ada\n"
    result = term("python ask.py")  # nothing typed: Ctrl+D
    assert result.status == 1 and result.err.endswith("EOFError: EOF when reading a line\n")


def test_sys_stdin_reads_piped_and_redirected_text(term: Terminal) -> None:
    code = "import sys; print(sys.stdin.read().upper(), end='')"
    assert term(f'echo hello | python -c "{code}"').out == "HELLO\n"
    term.write("in.txt", "a\nb\n")
    assert term(f'python -c "{code}" < in.txt').out == "A\nB\n"
    term.typed = ["one\n", "two\n"]  # from the terminal until Ctrl+D
    assert term("python -c 'import sys; print(list(sys.stdin))'").out == "['one\\n', 'two\\n']\n"


def test_piped_text_without_arguments_is_the_program(term: Terminal) -> None:
    assert term("echo 'print(6 * 7)' | python").out == "42\n"


def test_stdout_and_stderr_go_where_the_shell_points_them(term: Terminal) -> None:
    code = "import sys; print('out'); print('err', file=sys.stderr)"
    result = term(f'python -c "{code}" > out.txt')
    assert (result.out, result.err) == ("", "err\n")
    assert (term.root / "out.txt").read_text() == "out\n"
    assert term(f'python -c "{code}" 2>&1 | wc -l').out.strip() == "2"
    assert term("python -c 'import sys; print(sys.stdout.isatty())'").out == "True\n"
    assert term("python -c 'import sys; print(sys.stdout.isatty())' | cat").out == "False\n"
    assert term("python -c 'import sys; sys.stdout.buffer.write(b\"raw\\n\")'").out == "raw\n"


def test_cwd_and_environment_are_the_shells_and_put_back(term: Terminal) -> None:
    term.write("sub/x.txt")
    before_cwd, before_env = os.getcwd(), dict(os.environ)
    term("cd sub")
    assert term("python -c 'import os; print(os.getcwd())'").out == f"{term.root / 'sub'}\n"
    assert term("GREETING=hi python -c 'import os; print(os.environ[\"GREETING\"])'").out == "hi\n"
    assert term("python -c 'import os; print(os.environ[\"COLUMNS\"])'").out == "80\n"
    assert (os.getcwd(), dict(os.environ)) == (before_cwd, before_env)


def around_an_edit(term: Terminal, line: str, path: str, before: str, after: str) -> list[str]:
    """What `line` prints with `path` holding `before`, then again once it holds `after`."""
    term.write(path, before)
    printed = [term(line).out]
    term.write(path, after)
    return [*printed, term(line).out]


def test_project_modules_are_fresh_on_every_run(term: Terminal) -> None:
    term.write("main.py", "import helper\nprint(helper.VALUE)\n")
    helper = ("VALUE = 1\n", "VALUE = 2\n")
    assert around_an_edit(term, "python main.py", "helper.py", *helper) == ["1\n", "2\n"]
    assert "helper" not in sys.modules or "json" in sys.modules  # stdlib stays loaded
    term.write("late.py", "print('created after the first run')\n")
    assert term("python -c 'import late'").out == "created after the first run\n"


def test_the_repl_runs_blocks_and_echoes_values(term: Terminal) -> None:
    term.typed = [
        "x = 2\n",
        "if x:\n",
        "    print('yes')\n",
        "\n",
        "x * 21\n",
        "def f(:\n",
        "1 / 0\n",
        "x\n",
    ]
    result = term("python -q")
    assert result.status == 0
    assert result.out == "yes\n42\n2\n"
    assert result.err.startswith(">>> >>> ... ... >>> >>> ")
    assert '  File "<stdin>", line 1\n    def f(:\n' in result.err
    assert (
        'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n'
        "ZeroDivisionError: division by zero\n"
    ) in result.err
    assert "codeop" not in result.err and "client/worker" not in result.err
    assert result.err.endswith(">>> \n")  # Ctrl+D leaves with a newline


def test_the_repl_banner_exit_and_ctrl_c(term: Terminal) -> None:
    term.typed = [
        "if True:\n",
        KeyboardInterrupt(),
        "raise KeyboardInterrupt\n",
        "raise SystemExit(4)\n",
    ]
    result = term("python")
    assert result.status == 4
    assert result.err.startswith(f"Python {sys.version} on {sys.platform}\n")
    assert ">>> ... \nKeyboardInterrupt\n>>> " in result.err
    assert "line 1, in <module>\nKeyboardInterrupt\n>>> " in result.err


def test_missing_file_bad_option_version_help(term: Terminal) -> None:
    result = term("python nope.py")
    assert result.status == 2
    assert result.err == (
        f"python: can't open file '{term.root / 'nope.py'}': [Errno 2] No such file or directory\n"
    )
    assert term("python -z").status == 2
    assert term("python -V").out == f"Python {sys.version.split()[0]}\n"
    assert term("python --help").out.startswith("usage: python")
    assert term("python3 -c 'print(3)'").out == "3\n"


def test_parse_follows_cpythons_rules() -> None:
    assert parse(["-u", "-c", "code", "-x"]) == Invocation("code", "code", ["-x"])
    assert parse(["-m", "pytest", "-q"]) == Invocation("module", "pytest", ["-q"])
    assert parse(["file.py", "-c"]) == Invocation("file", "file.py", ["-c"])
    assert parse(["-", "a"]) == Invocation("stdin", "-", ["a"])
    assert parse(["-q"]) == Invocation("repl", quiet=True)
    assert parse(["-W", "ignore", "f.py"]) == Invocation("file", "f.py", [])
    for bad in (["-c"], ["--nope"], ["-z"]):
        try:
            parse(bad)
        except Usage:
            continue
        raise AssertionError(bad)


def test_python_dash_m_pytest_runs_the_projects_tests(term: Terminal) -> None:
    term.write("calc.py", "def add(a, b):\n    return a + b\n")
    term.write(
        "test_calc.py", "from calc import add\n\ndef test_add():\n    assert add(2, 2) == 4\n"
    )
    passed = term(PYTEST)
    assert passed.status == 0, passed.out + passed.err
    assert "1 passed" in passed.out
    term.write("calc.py", "def add(a, b):\n    return a - b\n")  # the edit must be seen
    failed = term(PYTEST)
    assert failed.status == 1 and "1 failed" in failed.out


def test_dash_m_fetches_an_on_demand_tool_once(
    term: Terminal, tmp_path_factory, monkeypatch
) -> None:  # noqa: ANN001
    site = tmp_path_factory.mktemp("site")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setitem(python_cmd.ON_DEMAND, "demo_tool", "demo-tool")
    installs = []

    async def install(requirements: list[str], **_options: object) -> None:
        installs.append(requirements)
        (site / "demo_tool.py").write_text("print('tool ran')\n")

    monkeypatch.setattr(term.installer, "install", install)
    first = term("python -m demo_tool")
    assert (first.status, first.out) == (0, "tool ran\n")
    assert "Installing demo-tool" in first.err
    assert term("python -m demo_tool").err == "" and installs == [["demo-tool"]]


def test_modules_imported_by_dash_c_are_fresh_too(term: Terminal) -> None:
    term.write("pkg/__init__.py", "")
    line = "python -c 'from pkg import mod; print(mod.V)'"
    mod = ("V = 'old'\n", "V = 'new'\n")
    assert around_an_edit(term, line, "pkg/mod.py", *mod) == ["old\n", "new\n"]
    assert not any(name == "pkg" or name.startswith("pkg.") for name in sys.modules)


def test_stderr_is_a_tty_only_when_it_reaches_the_terminal(term: Terminal) -> None:
    code = "import sys; print(sys.stderr.isatty())"
    assert term(f'python -c "{code}"').out == "True\n"
    assert term(f'python -c "{code}" 2> err.txt').out == "False\n"


def test_an_engine_that_cannot_block_gives_end_of_input(term: Terminal) -> None:
    term.typed = [EOFError("no terminal input here")]
    result = term("python -c 'import sys; print(repr(sys.stdin.readline()))'")
    assert (result.status, result.out) == (0, "''\n")


def test_a_project_module_shadowing_the_stdlib_leaves_with_the_run(term: Terminal) -> None:
    before = sys.modules.get("mailbox")  # a stdlib name nothing here has imported
    term.write("mailbox.py", "SHADOW = True\n")
    assert term("python -c 'import mailbox; print(mailbox.SHADOW)'").out == "True\n"
    assert sys.modules.get("mailbox") is before
