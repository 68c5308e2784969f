"""/api/auth: sign up, sign in, sign out (here or everywhere), session, password, account."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server import auth, passwords
from server.bodies import invalid, read_json, text_field
from server.errors import ApiError
from server.repo import sessions, users
from server.repo.users import User
from server.services import accounts

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_BODY = 16 * 1024


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "email": user.email,
        "display_name": user.display_name,
        "created_at": user.created_at.isoformat(),
    }


def _email(body: dict[str, Any]) -> str:
    email = text_field(body, "email", max_length=254).lower()
    if not EMAIL.fullmatch(email):
        raise invalid("email", "'email' is not an email address.")
    return email


def _new_password(body: dict[str, Any], field: str) -> str:
    return text_field(
        body,
        field,
        min_length=passwords.MIN_LENGTH,
        max_length=passwords.MAX_LENGTH,
        strip=False,
        secret=True,
    )


async def _signed_in(request: Request, user: User, status: int = 200) -> JSONResponse:
    async with request.state.pool.connection() as conn:
        token, csrf = await auth.open_session(request, conn, user.id)
    response = JSONResponse({"user": user_json(user), "csrf_token": csrf}, status_code=status)
    auth.set_cookie(request, response, token)
    return response


async def signup(request: Request) -> Response:
    auth.check_origin(request)
    body = await read_json(request, MAX_BODY)
    email = _email(body)
    password = _new_password(body, "password")
    name = text_field(body, "display_name", max_length=100, required=False)
    async with request.state.pool.connection() as conn:
        await auth.count_signup(
            conn, auth.client_address(request), request.state.settings.signups_per_hour
        )
    hashed = await passwords.hash_async(password)
    async with request.state.pool.connection() as conn:
        try:
            user = await users.create(conn, email, name, hashed)
        except users.EmailTaken:
            raise ApiError(
                409,
                "email_taken",
                "An account with this email exists; sign in instead.",
                {"field": "email"},
            ) from None
    return await _signed_in(request, user, 201)


async def signin(request: Request) -> Response:
    auth.check_origin(request)
    body = await read_json(request, MAX_BODY)
    email = text_field(body, "email", max_length=254).lower()
    password = text_field(
        body, "password", max_length=passwords.MAX_LENGTH, strip=False, secret=True
    )
    address = auth.client_address(request)
    async with request.state.pool.connection() as conn:
        await auth.count_attempt(conn, email, address)
        found = await users.credentials(conn, email)
    stored = found[1] if found else None
    ok = await passwords.verify_async(stored, password)
    if not ok or found is None:
        raise ApiError(401, "invalid_credentials", "Wrong email or password.")
    async with request.state.pool.connection() as conn:
        await auth.forgive(conn, email, address)
    return await _signed_in(request, found[0])


async def session(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        current = await auth.session_of(request, conn)
    if current is None:
        raise ApiError(401, "unauthenticated", "Not signed in.")
    response = JSONResponse(
        {"user": user_json(current.user), "csrf_token": current.csrf_token},
        headers={"cache-control": "no-store"},
    )
    # The server slides the expiry forward as the session is used; so does the cookie.
    auth.set_cookie(request, response, request.cookies[auth.COOKIE])
    return response


def _signed_out(request: Request) -> Response:
    response = Response(status_code=204)
    auth.clear_cookie(request, response)
    return response


async def signout(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, current):
        await sessions.revoke(conn, current.token_hash)
    return _signed_out(request)


async def signout_everywhere(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, current):
        await sessions.revoke_all(conn, current.user.id)
    return _signed_out(request)


async def _check_password(request: Request, user: User, password: str) -> None:
    """Guesses here count like failed sign-ins: a stolen session cannot brute-force it."""
    address = auth.client_address(request)
    async with request.state.pool.connection() as conn:
        await auth.count_attempt(conn, user.email, address)
        stored = await users.password_hash(conn, user.id)
    if not await passwords.verify_async(stored, password):
        raise ApiError(
            403, "wrong_password", "The current password is wrong.", {"field": "current_password"}
        )
    async with request.state.pool.connection() as conn:
        await auth.forgive(conn, user.email, address)


async def change_password(request: Request) -> Response:
    current = await auth.signed_in(request)
    body = await read_json(request, MAX_BODY)
    old = text_field(
        body, "current_password", max_length=passwords.MAX_LENGTH, strip=False, secret=True
    )
    new = _new_password(body, "new_password")
    await _check_password(request, current.user, old)
    hashed = await passwords.hash_async(new)
    async with request.state.pool.connection() as conn:
        # Other devices must sign in again with the new password; this one stays.
        await accounts.change_password(conn, current.user.id, hashed, current.token_hash)
    return Response(status_code=204)


async def delete_account(request: Request) -> Response:
    current = await auth.signed_in(request)
    body = await read_json(request, MAX_BODY)
    password = text_field(
        body, "password", max_length=passwords.MAX_LENGTH, strip=False, secret=True
    )
    await _check_password(request, current.user, password)
    async with request.state.pool.connection() as conn:
        await accounts.delete(conn, current.user.id)
    return _signed_out(request)


ROUTES = [
    Route("/auth/signup", signup, methods=["POST"]),
    Route("/auth/signin", signin, methods=["POST"]),
    Route("/auth/session", session, methods=["GET"]),
    Route("/auth/signout", signout, methods=["POST"]),
    Route("/auth/signout-everywhere", signout_everywhere, methods=["POST"]),
    Route("/auth/password", change_password, methods=["POST"]),
    Route("/auth/account", delete_account, methods=["DELETE"]),
]
