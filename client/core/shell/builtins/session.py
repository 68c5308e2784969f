"""Builtins about the shell's own state: folder, variables, history, exit, and the
commands that describe other commands (which, help)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..commands import Io
from .common import Family, builtin

if TYPE_CHECKING:
    from ..interpreter import Shell

COMMANDS: Family = {}

SH = "cospai-sh"
# What GNU `clear` writes: home, erase the screen, erase the scrollback (xterm.js knows all
# three), so the terminal needs no special marker.
CLEAR = "\x1b[H\x1b[2J\x1b[3J"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ECHO_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "f": "\f",
    "r": "\r",
    "v": "\v",
    "0": "\0",
}


@builtin(COMMANDS, "cd", "change the working folder (no argument: HOME, '-': the previous one)")
async def cd(argv: list[str], io: Io, shell: Shell) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if len(args) > 1:
        return io.fail(f"{SH}: cd: too many arguments")
    if not args:
        target = shell.vars.get("HOME")
        if not target:
            return io.fail(f"{SH}: cd: HOME not set")
    elif args[0] == "-":
        target = shell.vars.get("OLDPWD")
        if not target:
            return io.fail(f"{SH}: cd: OLDPWD not set")
    else:
        target = args[0]
    try:
        shell.chdir(target)
    except OSError as error:
        return io.fail(f"{SH}: cd: {target}: {error.strerror}")
    if args and args[0] == "-":
        io.out(shell.cwd + "\n")
    return 0


@builtin(COMMANDS, "pwd", "print the working folder")
async def pwd(argv: list[str], io: Io, shell: Shell) -> int:
    io.out(shell.cwd + "\n")
    return 0


def _echo_escapes(text: str) -> tuple[str, bool]:
    """`echo -e`: backslash escapes; `\\c` stops all output (returns stop=True). An escape
    echo does not know stays as written, backslash and all."""
    out: list[str] = []
    # split() with a group: the even pieces are text, the odd ones what follows a `\`.
    for i, piece in enumerate(_ESCAPE.split(text)):
        if i % 2 == 0:
            out.append(piece)
        elif piece == "c":
            return "".join(out), True
        else:
            out.append(_ECHO_ESCAPES.get(piece, "\\" + piece))
    return "".join(out), False


@builtin(COMMANDS, "echo", "print arguments (-n no newline, -e backslash escapes)")
async def echo(argv: list[str], io: Io, shell: Shell) -> int:
    args, newline, escapes = argv[1:], True, False
    # Like bash: leading words made only of n/e/E flags are options, anything else is text.
    while args and re.fullmatch(r"-[neE]+", args[0]):
        newline = newline and "n" not in args[0]
        for flag in args[0][1:]:
            escapes = {"e": True, "E": False}.get(flag, escapes)
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop = _echo_escapes(text)
        newline = newline and not stop
    io.out(text + ("\n" if newline else ""))
    return 0


@builtin(COMMANDS, "env", "print the environment, or run a command with NAME=value added")
async def env(argv: list[str], io: Io, shell: Shell) -> int:
    """`env` lists the environment; `env NAME=value... cmd args` runs cmd with it."""
    environment = dict(io.env)
    args = argv[1:]
    while args and "=" in args[0] and _IDENTIFIER.fullmatch(args[0].split("=", 1)[0]):
        name, value = args.pop(0).split("=", 1)
        environment[name] = value
    if args:
        io.env = environment
        return await shell.run_argv(args, io)
    io.out("".join(f"{name}={value}\n" for name, value in environment.items()))
    return 0


@builtin(COMMANDS, "export", "export NAME[=value]: pass a variable to commands (no args: list)")
async def export(argv: list[str], io: Io, shell: Shell) -> int:
    args = [arg for arg in argv[1:] if arg != "-p"]
    if not args:
        for name in sorted(shell.exported):
            if name in shell.vars:
                value = shell.vars[name].replace("\\", "\\\\").replace('"', '\\"')
                io.out(f'declare -x {name}="{value}"\n')
        return 0
    status = 0
    for arg in args:
        name, eq, value = arg.partition("=")
        if not _IDENTIFIER.fullmatch(name):
            status = io.fail(f"{SH}: export: '{arg}': not a valid identifier")
            continue
        if eq:
            shell.vars[name] = value
        shell.exported.add(name)
    return status


@builtin(COMMANDS, "unset", "remove variables")
async def unset(argv: list[str], io: Io, shell: Shell) -> int:
    for name in argv[1:]:
        shell.vars.pop(name, None)
        shell.exported.discard(name)
    return 0


@builtin(COMMANDS, "history", "list the lines typed so far (-c clears, N shows the last N)")
async def history(argv: list[str], io: Io, shell: Shell) -> int:
    args = argv[1:]
    if args == ["-c"]:
        shell.history.clear()
        return 0
    entries = list(enumerate(shell.history.entries, 1))
    if args:
        if not args[0].isdigit() or len(args) > 1:
            return io.fail(f"{SH}: history: {args[0]}: numeric argument required", 2)
        entries = entries[-int(args[0]) :] if int(args[0]) else []
    io.out("".join(f"{number:5d}  {line}\n" for number, line in entries))
    return 0


@builtin(COMMANDS, "which", "tell whether a name is a builtin or a command")
async def which(argv: list[str], io: Io, shell: Shell) -> int:
    """There is no PATH in the worker: a name is a builtin, an engine command, or nothing."""
    status = 0 if len(argv) > 1 else 1
    for name in argv[1:]:
        spec = shell.registry.get(name)
        if spec is None:
            io.err(f"which: no {name} in (builtins, commands)\n")
            status = 1
        else:
            io.out(f"{name}: shell builtin\n" if spec.builtin else f"{name}: command\n")
    return status


@builtin(COMMANDS, "help", "list the commands, or describe the ones named")
async def help_(argv: list[str], io: Io, shell: Shell) -> int:
    names = argv[1:] or shell.registry.names()
    width = max(len(name) for name in names)
    status = 0
    for name in names:
        spec = shell.registry.get(name)
        if spec is None:
            status = io.fail(f"{SH}: help: no help topics match '{name}'")
            continue
        io.out(f"{name.ljust(width)}  {spec.summary}\n" if spec.summary else f"{name}\n")
    return status


@builtin(COMMANDS, "exit", "leave the shell (closes the terminal tab) with a status")
async def exit_(argv: list[str], io: Io, shell: Shell) -> int:
    args = argv[1:]
    code = shell.status
    if args:
        if not re.fullmatch(r"[+-]?\d+", args[0]):
            io.err(f"{SH}: exit: {args[0]}: numeric argument required\n")
            code = 2
        elif len(args) > 1:
            return io.fail(f"{SH}: exit: too many arguments")
        else:
            code = int(args[0]) & 0xFF
    shell.exited = code
    return code


@builtin(COMMANDS, "clear", "clear the terminal and its scrollback")
async def clear(argv: list[str], io: Io, shell: Shell) -> int:
    io.out(CLEAR)
    return 0


@builtin(COMMANDS, "true", "do nothing, successfully")
async def true(argv: list[str], io: Io, shell: Shell) -> int:
    return 0


@builtin(COMMANDS, "false", "do nothing, unsuccessfully")
async def false(argv: list[str], io: Io, shell: Shell) -> int:
    return 1
