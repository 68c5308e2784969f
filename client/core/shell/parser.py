"""Tokens to a small syntax tree: a line is a list of and-or chains of pipelines.

    line     := chain ((';') chain)* [';']
    chain    := pipeline (('&&' | '||') pipeline)*
    pipeline := command ('|' command)*
    command  := (NAME=value | word | redirection word)+

Background jobs (`&`) have no meaning in a one-thread worker, so `&` is refused with a
plain message rather than silently run in the foreground.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexer import BARE, REDIRECTIONS, Op, ShellSyntaxError, Token, Word, tokenize, unexpected

_NAME_EQ = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True)
class Redirect:
    op: str  # one of lexer.REDIRECTIONS
    target: Word | None  # None for the fd duplications 2>&1, 1>&2, >&2


@dataclass
class Command:
    assignments: list[tuple[str, Word]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Pipeline:
    commands: list[Command]


@dataclass
class Chain:
    """`first && second || third`: each later pipeline carries the operator before it."""

    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)


def parse(line: str) -> list[Chain]:
    return _Parser(tokenize(line)).line()


def split_assignment(word: Word) -> tuple[str, Word] | None:
    """`NAME=value` → (NAME, value word); the `=` must be bare and the name unquoted."""
    if not word.parts or word.parts[0][1] != BARE:
        return None
    head = word.parts[0][0]
    match = _NAME_EQ.match(head)
    if not match:
        return None
    rest = head[match.end() :]
    parts = ((rest, BARE),) if rest else ()
    return match.group()[:-1], Word(parts + word.parts[1:])


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def next(self) -> Token | None:
        token = self.peek()
        self.i += 1
        return token

    def at_op(self, *values: str) -> bool:
        token = self.peek()
        return isinstance(token, Op) and token.value in values

    def line(self) -> list[Chain]:
        chains: list[Chain] = []
        while self.peek() is not None:
            if self.at_op("&"):
                raise ShellSyntaxError("background jobs ('&') are not supported")
            chains.append(self.chain())
            if self.at_op("&"):
                raise ShellSyntaxError("background jobs ('&') are not supported")
            if self.at_op(";"):
                self.next()
            elif self.peek() is not None:
                raise unexpected(self.peek())
        return chains

    def chain(self) -> Chain:
        chain = Chain(self.pipeline())
        while self.at_op("&&", "||"):
            op = self.next()
            assert isinstance(op, Op)
            chain.rest.append((op.value, self.pipeline()))
        return chain

    def pipeline(self) -> Pipeline:
        commands = [self.command()]
        while self.at_op("|"):
            self.next()
            commands.append(self.command())
        return Pipeline(commands)

    def command(self) -> Command:
        command = Command()
        while True:
            token = self.peek()
            if isinstance(token, Word):
                self.next()
                assignment = None if command.words else split_assignment(token)
                if assignment:
                    command.assignments.append(assignment)
                else:
                    command.words.append(token)
            elif isinstance(token, Op) and token.value in REDIRECTIONS:
                self.next()
                command.redirects.append(self.redirect(token.value))
            else:
                break
        if not (command.words or command.assignments or command.redirects):
            raise unexpected(self.peek())
        return command

    def redirect(self, op: str) -> Redirect:
        if op in ("2>&1", "1>&2", ">&2"):
            return Redirect(op, None)
        target = self.next()
        if not isinstance(target, Word):
            raise unexpected(target)
        return Redirect(op, target)
