"""Sessions, CSRF and sign-in throttling: who is asking, and may they do this.

A session is an opaque random token in an HttpOnly, SameSite=Lax cookie (Secure over
HTTPS); the database keeps only its sha256. Every state-changing request must pass the
Origin check, and, when signed in, carry the session's CSRF token in X-CSRF-Token.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from uuid import UUID

from psycopg import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from server.errors import ApiError
from server.repo import auth_failures, sessions
from server.repo.sessions import Session

COOKIE = "cospai_session"
CSRF_HEADER = "x-csrf-token"
SESSION_LIFETIME = timedelta(days=14)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Sign-in throttling: so many failures are free, then each attempt waits 2^(n - free) s.
FREE_FAILURES = {"account": 5, "address": 20}
MAX_DELAY_S = 15 * 60
FORGET_FAILURES_AFTER = timedelta(hours=1)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_origin(request: Request) -> None:
    """Refuse cross-site state changes: the Origin (or Sec-Fetch-Site) must be our own."""
    if request.method not in UNSAFE_METHODS:
        return
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}"
    allowed = {own, *request.state.settings.allowed_origins}
    if origin is not None:
        if origin not in allowed:
            raise ApiError(
                403, "bad_origin", "This request came from another site.", {"origin": origin}
            )
        return
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in {"same-origin", "none"}:
        raise ApiError(403, "bad_origin", "This request came from another site.")


async def session_of(request: Request, conn: AsyncConnection) -> Session | None:
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 200:
        return None
    return await sessions.find(conn, token_hash(token), SESSION_LIFETIME)


async def require_session(request: Request, conn: AsyncConnection) -> Session:
    """The caller's session, or 401; for unsafe methods also the Origin and CSRF checks."""
    check_origin(request)
    session = await session_of(request, conn)
    if session is None:
        raise ApiError(401, "unauthenticated", "Sign in first (no valid session).")
    if request.method in UNSAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(sent.encode(), session.csrf_token.encode()):
            raise ApiError(
                403,
                "csrf",
                "Missing or wrong X-CSRF-Token header; take it from GET /api/auth/session.",
            )
    return session


@asynccontextmanager
async def session_connection(request: Request) -> AsyncIterator[tuple[AsyncConnection, Session]]:
    """A connection from the pool and the caller's session on it (401/403 first)."""
    async with request.state.pool.connection() as conn:
        yield conn, await require_session(request, conn)


async def signed_in(request: Request) -> Session:
    """The caller's session, checked on a connection given back at once: before a body is
    read, so that 401/403 come before 400/413/422 and no connection waits on an upload."""
    async with session_connection(request) as (_conn, session):
        return session


async def open_session(request: Request, conn: AsyncConnection, user_id: UUID) -> tuple[str, str]:
    """Create a session; return (token for the cookie, csrf token for the client). Expired
    sessions go first (an index finds them), so the table holds only live ones."""
    token, csrf = new_token(), new_token()
    await sessions.purge_expired(conn)
    await sessions.create(
        conn,
        token_hash(token),
        user_id,
        csrf,
        SESSION_LIFETIME,
        request.headers.get("user-agent", ""),
        client_address(request),
    )
    return token, csrf


def set_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https"
    )


def _throttle_keys(email: str, address: str) -> dict[str, str]:
    return {"account": f"account:{email.lower()}", "address": f"address:{address}"}


async def count_attempt(conn: AsyncConnection, email: str, address: str) -> None:
    """Refuse (429) while the account or address must wait; otherwise count this attempt
    as a failure until `forgive` says the password was right. Atomic across processes."""
    keys = _throttle_keys(email, address)
    free = {key: FREE_FAILURES[kind] for kind, key in keys.items()}
    await _throttle(conn, free, "Too many failed sign-ins.")


async def _throttle(conn: AsyncConnection, free: dict[str, int], refusal: str) -> None:
    """One attempt against every key: refused (429, `refusal` and when to retry) while
    any key has used up its `free` attempts and must wait, counted otherwise."""
    async with conn.transaction():
        seen = await auth_failures.begin_attempt(conn, list(free), FORGET_FAILURES_AFTER)
        wait = max(_wait(*seen.get(key, (0, 0.0)), allowed) for key, allowed in free.items())
        if wait > 0:
            retry = math.ceil(wait)
            raise ApiError(
                429,
                "rate_limited",
                f"{refusal} Try again in {retry} s.",
                {"retry_after": retry},
                headers={"retry-after": str(retry)},
            )
        await auth_failures.count_attempt(conn, list(free), FORGET_FAILURES_AFTER)


def _wait(count: int, age: float, free: int) -> float:
    """Seconds still to wait after `count` recent attempts, the last `age` s ago."""
    excess = count - free
    if excess < 0:
        return 0.0
    # capped exponent: 2.0 ** 1024 would overflow after a long attack
    return min(2.0 ** min(excess, 30), MAX_DELAY_S) - age


async def count_signup(conn: AsyncConnection, address: str, free: int) -> None:
    """Sign-ups per address: `free` in an hour, then each waits 2^n s (429 until then), like
    failed sign-ins. Each costs a 64 MiB hash, and accounts are what spam is made of."""
    await _throttle(conn, {f"signup:{address}": free}, "Too many sign-ups from your address.")


async def forgive(conn: AsyncConnection, email: str, address: str) -> None:
    keys = _throttle_keys(email, address)
    await auth_failures.forgive(conn, keys["account"], keys["address"])
