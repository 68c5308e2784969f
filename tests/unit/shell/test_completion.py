"""client.core.shell.completion: commands for the first word, paths after, and the
editor and shell working together."""

from __future__ import annotations

from client.core.shell import Io, Shell
from client.core.shell.completion import current_word, escape, shell_completer
from client.core.shell.readline import LineEditor

from .conftest import Terminal


def test_current_word_and_whether_it_is_a_command() -> None:
    assert current_word("") == (0, "", True)
    assert current_word("ec") == (0, "ec", True)
    assert current_word("echo sr") == (5, "sr", False)
    assert current_word("echo a | gr") == (9, "gr", True)
    assert current_word("make && l") == (8, "l", True)
    assert current_word("cat < fi") == (6, "fi", False)
    assert current_word(r"cat my\ fi") == (4, "my fi", False)
    assert current_word("cat 'my fi") == (4, "my fi", False)


def test_escape_keeps_names_parseable() -> None:
    assert escape("my file (1).txt") == r"my\ file\ \(1\).txt"
    assert escape("plain-name_1.py") == "plain-name_1.py"


def test_commands_include_registered_ones(term: Terminal) -> None:
    async def noop(argv: list[str], io: Io, shell: Shell) -> int:
        return 0

    term.shell.register("python", noop)
    term.shell.register("pip", noop)
    complete = shell_completer(term.shell)
    assert complete("p").matches == ["pip", "pwd", "python"]
    assert complete("ls | py").matches == ["python"]
    assert complete("zz").matches == []


def test_paths_relative_to_the_cwd(term: Terminal) -> None:
    for name in ["src/main.py", "src/models.py", "setup.py", ".env", "my file.txt"]:
        term.write(name)
    complete = shell_completer(term.shell)
    assert complete("cat s").matches == ["setup.py", "src/"]
    assert complete("cat s").labels == ["setup.py", "src/"]
    assert complete("cat src/m").matches == ["src/main.py", "src/models.py"]
    assert complete("cat src/m").labels == ["main.py", "models.py"]
    assert complete("cat .").matches == [".env"]  # dotfiles only when asked for
    assert complete("cat my").matches == [r"my\ file.txt"]
    assert complete("cat nope/x").matches == []
    assert complete("./s").matches == ["./setup.py", "./src/"]  # a path as a command
    term("cd src")
    assert complete("cat ../se").matches == ["../setup.py"]
    assert complete("cat ~/se").matches == ["~/setup.py"]


def test_editor_and_shell_complete_together(term: Terminal) -> None:
    term.write("README.md")
    term.write("requirements.txt")
    editor = LineEditor(term.shell.history, shell_completer(term.shell), prompt="$ ")
    editor.start()
    editor.feed("ca\t")
    assert editor.buffer == "cat "
    editor.feed("R\t")
    assert editor.buffer == "cat README.md "
    out = editor.feed("r\t")
    assert editor.buffer == "cat README.md requirements.txt "
    out = editor.feed("\r")
    assert out.line is not None
    assert term(out.line).out == ""  # both files are empty
    assert term.shell.history.dump()[-1] == "cat README.md requirements.txt "
