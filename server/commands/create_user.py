"""`cospai create-user`: an account made from the command line (no sign-up page needed)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from server import db, migrate
from server.commands import CliError
from server.commands.database import database, database_errors
from server.settings import Settings

if TYPE_CHECKING:
    from server.repo.users import User


async def _insert_user(url: str, email: str, name: str, hashed: str) -> User | None:
    import psycopg

    from server.repo import users

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        try:
            return await users.create(conn, email, name, hashed)
        except users.EmailTaken:
            return None


def run(args: argparse.Namespace) -> int:
    """`cospai create-user`: an account from the command line, its password from stdin or
    the terminal."""
    import getpass
    import re

    from server import passwords

    email = args.email.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email) or len(email) > 254:
        raise CliError(f"{args.email!r} is not an email address")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise CliError("the two passwords differ")
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        raise CliError(f"the password needs at least {passwords.MIN_LENGTH} characters")
    settings = Settings.from_env(data_dir=args.data_dir)
    with database(settings) as (url, _description), database_errors():
        db.check(url)
        migrate.apply(url)
        hashed = passwords.hash_password(password)
        user = asyncio.run(_insert_user(url, email, args.name, hashed))
    if user is None:
        raise CliError(f"an account with the email {email} exists already")
    print(f"created user {email} ({user.id})")
    return 0
