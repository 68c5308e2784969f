"""GNU-style option parsing for the builtins: `-la` is `-l -a`, `-n 5` and `-n5` give a
value, `--all` maps to a short flag, options may follow operands (`ls dir -l`) and `--`
ends them. getopt/argparse would do, but their messages differ from coreutils' and
argparse exits the process on error; a builtin must only return a status.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field


class UsageError(Exception):
    """The message coreutils prints after `NAME: `."""


@dataclass
class Parsed:
    flags: set[str] = field(default_factory=set)
    values: dict[str, str] = field(default_factory=dict)
    operands: list[str] = field(default_factory=list)

    def __contains__(self, flag: str) -> bool:
        return flag in self.flags or flag in self.values


def parse(
    argv: list[str],
    flags: str = "",
    valued: str = "",
    long: Mapping[str, str] | None = None,
    numeric: str | None = None,
) -> Parsed:
    """Parse argv[1:]. `flags` are single-letter switches, `valued` letters take a value,
    `long` maps `--name` to a letter, and `numeric` names the letter `-5` stands for
    (head/tail's `-N` meaning `-n N`)."""
    long = long or {}
    result = Parsed()
    args = iter(argv[1:])
    for arg in args:
        if arg == "--":
            result.operands.extend(args)
            break
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            letter = long.get(name)
            if letter is None:
                raise UsageError(f"unrecognized option '{arg}'")
            if letter in valued:
                result.values[letter] = value if eq else _next(args, letter)
            else:
                result.flags.add(letter)
        elif arg.startswith("-") and arg != "-":
            if numeric and arg[1:].isdigit():
                result.values[numeric] = arg[1:]
                continue
            for index, letter in enumerate(arg[1:], 1):
                if letter in valued:
                    rest = arg[index + 1 :]
                    result.values[letter] = rest if rest else _next(args, letter)
                    break
                if letter not in flags:
                    raise UsageError(f"invalid option -- '{letter}'")
                result.flags.add(letter)
        else:
            result.operands.append(arg)
    return result


def _next(args: Iterator[str], letter: str) -> str:
    value = next(args, None)
    if value is None:
        raise UsageError(f"option requires an argument -- '{letter}'")
    return str(value)


def usage_message(name: str, error: UsageError) -> str:
    return f"{name}: {error}\nTry '{name} --help' for more information."
