"""The shell the Pyodide engine runs in a terminal: a small bash-like language (quotes,
`&&` `||` `;`, pipes, redirections, variables, globbing), coreutils-like builtins working
on the files the project is mounted at, and a line editor for raw keystrokes.

Standard library only, no threads or processes: the same code runs under CPython (the
tests, on a temporary folder) and under Pyodide in a Web Worker.

    shell = Shell("/project", env={"HOME": "/project"}, streams=Streams(out, err))
    shell.register("python", run_python, "run Python")   # see commands.py
    status = await shell.run_line("ls -la | grep py > files.txt")
"""

from .commands import CommandSpec, Handler, Io, Registry, Streams
from .history import History
from .interpreter import Shell

__all__ = ["CommandSpec", "Handler", "History", "Io", "Registry", "Shell", "Streams"]
