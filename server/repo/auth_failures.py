"""Counters of failed sign-ins, per account and per address, kept in PostgreSQL so that
every server process sees the same counts.

An attempt is counted *before* the password is checked, under row locks, so that many
concurrent guesses cannot all read the same old count (and all get through).
"""

from __future__ import annotations

from datetime import timedelta

from psycopg import AsyncConnection


async def begin_attempt(
    conn: AsyncConnection, keys: list[str], forget_after: timedelta
) -> dict[str, tuple[int, float]]:
    """Lock the keys' rows; return {key: (recent failures, seconds since the last)}.
    Call inside a transaction; follow with count_attempt or nothing (when refused)."""
    await conn.execute(
        "INSERT INTO auth_failures (key, failures, last_failure) "
        "SELECT k, 0, 'epoch'::timestamptz FROM unnest(%s::text[]) AS k "
        "ON CONFLICT (key) DO NOTHING",
        (keys,),
    )
    cursor = await conn.execute(
        """SELECT key, CASE WHEN last_failure > now() - %s THEN failures ELSE 0 END,
                  extract(epoch FROM now() - last_failure)::float8
             FROM auth_failures WHERE key = ANY(%s) ORDER BY key FOR UPDATE""",
        (forget_after, keys),
    )
    return {key: (failures, age) for key, failures, age in await cursor.fetchall()}


async def count_attempt(conn: AsyncConnection, keys: list[str], forget_after: timedelta) -> None:
    """Count one more failure now; a success takes it back (forgive)."""
    await conn.execute(
        """UPDATE auth_failures
              SET failures = CASE WHEN last_failure > now() - %s THEN failures + 1 ELSE 1 END,
                  last_failure = now()
            WHERE key = ANY(%s)""",
        (forget_after, keys),
    )


async def forgive(conn: AsyncConnection, account_key: str, address_key: str) -> None:
    """A right password: the account starts afresh; the address gets its attempt back."""
    await conn.execute("DELETE FROM auth_failures WHERE key = %s", (account_key,))
    await conn.execute(
        "UPDATE auth_failures SET failures = greatest(failures - 1, 0) WHERE key = %s",
        (address_key,),
    )
