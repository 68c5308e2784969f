"""The shell itself: runs parsed lines against a folder, keeping $?, cwd, variables and
history between lines.

A Web Worker has one thread and no processes, so a pipeline runs stage after stage, each
stage's output buffered as text and handed to the next as its stdin. That is how `a | b`
behaves for every command that reads all its input before finishing; it is not a stream.
The shell never calls os.chdir: paths are resolved against `self.cwd`, so two shells (two
terminal tabs) in one interpreter do not fight over the process's folder.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import replace
from typing import IO

from . import builtins
from .commands import Handler, Io, Registry, Streams, Writer
from .expand import BadSubstitution, expand_value, expand_word, expand_words
from .history import History
from .lexer import ShellSyntaxError, Word
from .parser import Command, Pipeline, Redirect, parse
from .substitution import substitute

NAME = "cospai-sh"
INTERRUPTED = 130
NOT_FOUND = 127
SYNTAX = 2


def _discard(_text: str) -> None:
    pass


class RedirectError(Exception):
    pass


class Shell:
    """One terminal's shell. `cwd` is where it starts (the project's mount point); `env`
    the exported variables (HOME defaults to cwd); `streams` the terminal; `history` a
    History to share with the line editor (the engine loads and saves it per project).

    The engine reads `status` ($?), `exited` (not None after `exit`: close the tab),
    `prompt()` for the line editor, and sets `streams.columns` on resize."""

    def __init__(
        self,
        cwd: str,
        env: dict[str, str] | None = None,
        streams: Streams | None = None,
        history: History | None = None,
    ) -> None:
        self.cwd = os.path.abspath(cwd)
        self.vars: dict[str, str] = dict(env or {})
        self.exported: set[str] = set(self.vars)
        for name, value in (("HOME", self.cwd), ("PWD", self.cwd)):
            self.vars.setdefault(name, value)
            self.exported.add(name)
        self.vars["PWD"] = self.cwd
        self.streams = streams or Streams(_discard, _discard)
        self.history = history if history is not None else History()
        self.status = 0
        self.exited: int | None = None  # set by `exit`: the engine closes the tab
        self._captured: dict[str, str] = {}  # $(...) outputs of the line being run
        self._captured_status = 0  # the status of the command's last $(...)
        self.registry = Registry()
        builtins.install(self.registry)

    # --- the engine's side -------------------------------------------------------------

    def register(self, name: str, handler: Handler, summary: str = "") -> None:
        """Add an external command (see commands.py for the protocol)."""
        self.registry.register(name, handler, summary)

    async def run_line(self, line: str, record: bool = True) -> int:
        """Run one typed line and return its status (also kept as $?). `record` adds it to
        the history first, as bash does, so `history` lists itself."""
        if record:
            self.history.add(line)
        try:
            await self._execute(line)
        except KeyboardInterrupt:
            # Ctrl+C ends the whole line, as in an interactive bash; the shell lives on.
            self.streams.out("^C\n")
            self.status = INTERRUPTED
        finally:
            self._captured.clear()
        return self.status

    async def run_argv(self, argv: list[str], io: Io) -> int:
        """Run an already expanded command (used by `env NAME=1 cmd`)."""
        spec = self.registry.get(argv[0])
        if spec is None:
            return io.fail(self._not_found(argv[0]), NOT_FOUND)
        try:
            return await spec.handler(argv, io, self)
        except SystemExit as done:
            code = done.code
            return code if isinstance(code, int) else (0 if code is None else 1)
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except Exception as error:  # a broken command must not take the shell down
            return io.fail(f"{NAME}: {argv[0]}: {error}")

    # --- state used by builtins ----------------------------------------------------------

    def resolve(self, path: str) -> str:
        return os.path.join(self.cwd, path)

    def lookup(self, name: str) -> str | None:
        if name in self._captured:
            return self._captured[name]
        special = {"?": str(self.status), "$": str(os.getpid()), "0": NAME, "#": "0"}
        if name in special:
            return special[name]
        return self.vars.get(name)

    def environment(self) -> dict[str, str]:
        return {name: value for name, value in self.vars.items() if name in self.exported}

    @property
    def home(self) -> str:
        return self.vars.get("HOME") or "/"

    def prompt(self) -> str:
        """bash's `\\w $ `: the folder (HOME shown as ~) in bold blue, then `$ `."""
        where, home = self.cwd, self.home.rstrip("/")
        if home and (where == home or where.startswith(home + "/")):
            where = "~" + where[len(home) :]
        return f"\x1b[1;34m{where}\x1b[0m $ "

    def chdir(self, path: str) -> None:
        """Change folder (OSError when it cannot), keeping PWD and OLDPWD as bash does."""
        target = os.path.normpath(self.resolve(path))
        if not os.path.exists(target):
            raise FileNotFoundError(2, "No such file or directory")
        if not os.path.isdir(target):
            raise NotADirectoryError(20, "Not a directory")
        if not os.access(target, os.X_OK):
            raise PermissionError(13, "Permission denied")
        self.vars["OLDPWD"], self.cwd = self.cwd, target
        self.vars["PWD"] = target
        self.exported.update(("OLDPWD", "PWD"))

    # --- running -------------------------------------------------------------------------

    async def _execute(self, line: str) -> None:
        try:
            chains = parse(line)
        except ShellSyntaxError as error:
            self.streams.err(f"{NAME}: {error}\n")
            self.status = SYNTAX
            return
        for chain in chains:
            self.status = await self._pipeline(chain.first)
            for op, pipeline in chain.rest:
                if (op == "&&") == (self.status == 0):
                    self.status = await self._pipeline(pipeline)
            if self.exited is not None:
                break

    async def _capture(self, line: str) -> str:
        """Run `line` as bash runs `$(line)`: in a subshell (cd, variables and exit inside
        do not leak out), stdout collected, stderr still on the terminal."""
        buffer: list[str] = []
        saved = (self.cwd, dict(self.vars), set(self.exported), self.exited, self.streams)
        self.streams = replace(self.streams, out=buffer.append, columns=None)
        try:
            await self._execute(line)
        finally:
            self.cwd, self.vars, self.exported, self.exited, self.streams = saved
        self._captured_status = self.status
        return "".join(buffer)

    def _store(self, output: str) -> str:
        name = f"_cospai_captured_{len(self._captured)}"
        self._captured[name] = output
        return name

    async def _substitute(self, command: Command) -> Command:
        async def word(w: Word) -> Word:
            return await substitute(w, self._capture, self._store)

        return Command(
            [(name, await word(value)) for name, value in command.assignments],
            [await word(w) for w in command.words],
            [Redirect(r.op, r.target and await word(r.target)) for r in command.redirects],
        )

    async def _pipeline(self, pipeline: Pipeline) -> int:
        stdin: str | None = None  # the first stage reads the terminal
        status = 0
        last = len(pipeline.commands) - 1
        for index, command in enumerate(pipeline.commands):
            buffer: list[str] = []
            out = self.streams.out if index == last else buffer.append
            status = await self._command(command, stdin, out, index == last)
            stdin = "".join(buffer)
        return status

    async def _command(
        self, command: Command, stdin: str | None, out: Writer, out_is_terminal: bool
    ) -> int:
        err = self.streams.err
        self._captured_status = 0
        command = await self._substitute(command)
        try:
            argv = expand_words(command.words, self.lookup, self.home, self.cwd)
            values = [(name, self._value(word)) for name, word in command.assignments]
        except BadSubstitution as error:
            err(f"{NAME}: {error}\n")
            return 1
        with ExitStack() as files:
            io = Io(stdin, out, err, terminal=self.streams, out_is_terminal=out_is_terminal)
            try:
                for redirect in command.redirects:
                    self._redirect(redirect, io, files)
            except RedirectError as error:
                err(f"{NAME}: {error}\n")
                return 1
            if not argv:  # `A=1` alone sets a shell variable (kept exported if it was)
                self.vars.update(values)
                return self._captured_status  # `A=$(false)` fails as its substitution did
            io.env = {**self.environment(), **dict(values)}
            return await self.run_argv(argv, io)
        raise AssertionError("unreachable")  # pragma: no cover  (ExitStack swallows nothing)

    def _value(self, word: Word) -> str:
        return expand_value(word, self.lookup, self.home)

    def _not_found(self, name: str) -> str:
        if "/" not in name:
            return f"{NAME}: {name}: command not found"
        if os.path.exists(self.resolve(name)):
            return f"{NAME}: {name}: cannot run a file directly here (try: python {name})"
        return f"{NAME}: {name}: No such file or directory"

    def _redirect(self, redirect: Redirect, io: Io, files: ExitStack) -> None:
        op = redirect.op
        if op == "2>&1":
            io.err = io.out
            return
        if op in ("1>&2", ">&2"):
            io.out, io.out_is_terminal = io.err, False
            return
        assert redirect.target is not None
        path = self._target(redirect.target)
        if op == "<":
            io.stdin = self._read(path)
            return
        mode = "a" if op.endswith(">>") else "w"
        writer = self._open(path, mode, files).write
        if op in (">", ">>", "1>", "&>"):
            io.out, io.out_is_terminal = writer, False
        if op in ("2>", "2>>", "&>"):
            io.err = writer

    def _target(self, word: Word) -> str:
        names = expand_word(word, self.lookup, self.home, self.cwd)
        if len(names) != 1 or not names[0]:
            raise RedirectError(f"{word.text}: ambiguous redirect")
        return names[0]

    def _open(self, name: str, mode: str, files: ExitStack) -> IO[str]:
        try:
            handle = open(  # noqa: SIM115 (closed by the ExitStack when the command ends)
                self.resolve(name),
                mode,
                encoding="utf-8",
                errors="surrogateescape",
                newline="",
            )
        except OSError as error:
            raise RedirectError(f"{name}: {os.strerror(error.errno or 5)}") from None
        return files.enter_context(handle)

    def _read(self, name: str) -> str:
        try:
            with open(
                self.resolve(name), encoding="utf-8", errors="surrogateescape", newline=""
            ) as handle:
                return handle.read()
        except OSError as error:
            raise RedirectError(f"{name}: {os.strerror(error.errno or 5)}") from None
