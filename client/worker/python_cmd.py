"""The `python` command: run a file, `-c` code, `-m` a module, or the interactive prompt,
with CPython's command-line behaviour where a user would notice it.

    python file.py args     runs the file as __main__ (sys.argv = ["file.py", args...])
    python -c CODE args     sys.argv = ["-c", args...]
    python -m module args   runpy as CPython does (`python -m pytest`, `-m http.server`)
    python                  the REPL (or, with piped input, the piped text as a program)

Every run happens in the worker's one interpreter (see process.py for what is reset),
synchronously: the shell waits for it, and Ctrl+C reaches it as KeyboardInterrupt. Exit
statuses are CPython's: 0, SystemExit's code (a message → printed and 1), 1 after an
uncaught exception, 2 for a bad command line or a missing file. KeyboardInterrupt
prints its traceback and is then re-raised, so the shell ends the line with 130, as
bash does when a program dies of Ctrl+C.

`python -m pytest` installs pytest from the wheelhouse on first use rather than at boot:
most terminals never run tests, and preloading would add its import and download to
every worker start. Only the modules in ON_DEMAND are fetched so; any other missing
module says `No module named X`, as CPython does.
"""

from __future__ import annotations

import importlib.util
import os
import runpy
import sys
import zipfile
from dataclasses import dataclass, field
from typing import Any

from client.core.shell import Io, Shell

from . import repl
from .host import Host, InstallError
from .process import fresh_process
from .stdio import TextIn, TextOut, redirected
from .tracebacks import format_exception, user_frames

USAGE = "usage: python [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"
HELP = (
    USAGE
    + """\
Options (a subset of CPython's):
-c cmd : program passed in as string (terminates option list)
-m mod : run library module as a script (terminates option list)
-q     : don't print version and copyright messages on interactive startup
-V     : print the Python version number and exit (also --version)
-h     : print this help message and exit (also --help)
-u -B -E -s -I -O : accepted, no effect here
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
arg ...: arguments passed to program in sys.argv[1:]
"""
)
IGNORED_FLAGS = set("uBEsIOd")
ON_DEMAND = {"pytest": "pytest"}  # module → distribution fetched on first `python -m`


class Usage(Exception):
    """A command line CPython would refuse (exit status 2)."""


@dataclass
class Invocation:
    mode: str  # "file", "code", "module", "stdin" or "repl"
    target: str = ""
    args: list[str] = field(default_factory=list)
    quiet: bool = False


def parse(argv: list[str]) -> Invocation | str:
    """The command line after `python`: an Invocation, or text to print (-V, -h)."""
    quiet = False
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in ("--version", "-V"):
            return f"Python {sys.version.split()[0]}\n"
        if arg in ("--help", "-h", "-?"):
            return HELP
        if arg == "--" or not arg.startswith("-") or arg == "-":
            break
        if arg.startswith("--"):
            raise Usage(f"unknown option {arg}")
        for position, flag in enumerate(arg[1:], 1):
            if flag in "cm":  # the value is the rest of this word or the next word
                value = arg[position + 1 :]
                if not value:
                    index += 1
                    if index == len(argv):
                        raise Usage(f"Argument expected for the -{flag} option")
                    value = argv[index]
                mode = "code" if flag == "c" else "module"
                return Invocation(mode, value, argv[index + 1 :], quiet)
            if flag in "WX":  # warnings and -X options take a value; both are ignored
                if position == len(arg) - 1:
                    index += 1
                break
            if flag == "q":
                quiet = True
            elif flag not in IGNORED_FLAGS:
                raise Usage(f"unknown option -{flag}")
        index += 1
    rest = argv[index:]
    if rest and rest[0] == "--":
        rest = rest[1:]
    if not rest:
        return Invocation("repl", quiet=quiet)
    if rest[0] == "-":
        return Invocation("stdin", "-", rest[1:], quiet)
    return Invocation("file", rest[0], rest[1:], quiet)


def exit_status(code: object, err: TextOut) -> int:
    """SystemExit's code as a shell status, the way CPython's exit does it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    err.write(f"{code}\n")
    return 1


class PythonCommand:
    def __init__(self, host: Host) -> None:
        self.host = host

    async def __call__(self, argv: list[str], io: Io, shell: Shell) -> int:
        try:
            parsed = parse(argv[1:])
        except Usage as error:
            io.err(f"{error}\n{USAGE}Try `python -h' for more information.\n")
            return 2
        if isinstance(parsed, str):
            io.out(parsed)
            return 0
        if parsed.mode == "repl" and io.stdin is not None:
            parsed.mode = "stdin"  # `echo 'print(1)' | python` runs the text, no prompt
        if parsed.mode == "module":
            await self._fetch_on_demand(parsed.target, io)
        return self._run(parsed, io, shell)

    async def _fetch_on_demand(self, module: str, io: Io) -> None:
        top = module.split(".")[0]
        installer = self.host.installer
        if top not in ON_DEMAND or installer is None or importlib.util.find_spec(top):
            return
        io.err(f"Installing {ON_DEMAND[top]} from the wheelhouse (first use)...\n")
        try:
            await installer.install([ON_DEMAND[top]])
        except InstallError as error:  # then `No module named pytest` says the rest
            io.err(f"ERROR: {error}\n")

    def _run(self, call: Invocation, io: Io, shell: Shell) -> int:
        err_is_terminal = io.terminal is not None and io.err == io.terminal.err  # not `2>`
        stdout = TextOut(io.out, io.out_is_terminal, "<stdout>")
        stderr = TextOut(io.err, err_is_terminal, "<stderr>")
        stdin = TextIn(io.stdin, self.host.read_line if io.stdin is None else None)
        cwd = shell.cwd
        argv0 = {"code": "-c", "module": call.target, "repl": "", "stdin": "-"}
        if call.mode == "file":
            script = os.path.abspath(os.path.join(cwd, call.target))
            if not os.path.exists(script):
                error = "[Errno 2] No such file or directory"
                io.err(f"python: can't open file {script!r}: {error}\n")
                return 2
            path0 = os.path.dirname(os.path.abspath(script))
        else:
            script, path0 = "", ("" if call.mode in ("code", "repl", "stdin") else cwd)
        argv = [argv0.get(call.mode, call.target), *call.args]
        env = dict(io.env)
        if io.columns and "COLUMNS" not in env:  # shutil.get_terminal_size reads it
            env["COLUMNS"] = str(io.columns)
        process = fresh_process(argv, path0, self.host.project, cwd, env)
        with redirected(stdin, stdout, stderr), process as main:
            try:
                self._execute(call, script, main.__dict__, stdin, stderr)
            except SystemExit as done:
                return exit_status(done.code, stderr)
            except KeyboardInterrupt as error:
                stderr.write(format_exception(error))
                raise
            except _Refused as error:  # CPython's one-line refusals, not tracebacks
                stderr.write(f"python: {error}\n")
                return 1
            except BaseException as error:
                stderr.write(format_exception(error))
                return 1
        return 0

    def _execute(
        self,
        call: Invocation,
        script: str,
        namespace: dict[str, Any],
        stdin: TextIn,
        stderr: TextOut,
    ) -> None:
        if call.mode == "file" and os.path.isfile(script) and not zipfile.is_zipfile(script):
            # As CPython runs a script (not runpy, which would make argv[0] absolute):
            # __file__ absolute, argv[0] as typed, the source's coding cookie honoured.
            with open(script, "rb") as handle:
                code = compile(handle.read(), script, "exec")
            namespace.update(__file__=script, __cached__=None)
            exec(code, namespace)  # noqa: S102 (running user code is the point)
        elif call.mode == "file":  # a folder or zip with __main__.py
            try:
                runpy.run_path(script, run_name="__main__")
            except ImportError as error:
                if error.__traceback__ and user_frames(error.__traceback__):
                    raise  # raised by the program itself
                raise _Refused(str(error)) from None
        elif call.mode == "module" and call.target == "http.server":  # the preview's own
            from .static_server import http_server  # (no sockets here: serve.py)

            http_server(list(call.args), os.getcwd())
        elif call.mode == "module":
            if _find(call.target) is None:
                raise _Refused(f"No module named {call.target}")
            runpy.run_module(call.target, run_name="__main__", alter_sys=True)
        elif call.mode in ("code", "stdin"):
            source = call.target if call.mode == "code" else stdin.read()
            name = "<string>" if call.mode == "code" else "<stdin>"
            exec(compile(source, name, "exec"), namespace)  # noqa: S102 (running user code is the point)
        else:
            if not call.quiet:
                stderr.write(repl.banner())
            raise SystemExit(repl.interact(namespace, stderr.write, stdin.readline))


class _Refused(Exception):
    pass


def _find(module: str) -> object:
    try:
        return importlib.util.find_spec(module)
    except (ImportError, ValueError):  # a missing parent package
        return None
