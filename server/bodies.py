"""Reading request bodies within limits, and checking JSON objects field by field.

Every refusal is an ApiError with the right status: 413 for size, 400 for malformed JSON,
422 for a well-formed body with a wrong field (its name is in details.field).
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from starlette.requests import Request

from server.errors import ApiError
from server.sync_rules import RULES


async def read_bytes(request: Request, max_bytes: int = RULES.max_request_bytes) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ApiError(400, "bad_request", "Content-Length is not a number") from None
        if size > max_bytes:
            raise _too_large(max_bytes)
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(max_bytes: int) -> ApiError:
    return ApiError(413, "too_large", f"The request body is larger than {max_bytes} bytes.",
                    {"limit": max_bytes})  # fmt: skip


async def read_json(request: Request, max_bytes: int = RULES.max_request_bytes) -> dict[str, Any]:
    return parse_json(await read_bytes(request, max_bytes))


def parse_json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, "malformed_json", f"The body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", "The body must be a JSON object.")
    return body


async def read_optional_json(request: Request, max_bytes: int) -> dict[str, Any]:
    """Like read_json, but an empty body means {}."""
    raw = await read_bytes(request, max_bytes)
    return parse_json(raw) if raw.strip() else {}


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid", message, {"field": field})


def text_field(
    body: dict[str, Any], field: str, *, max_length: int, required: bool = True,
    default: str = "", min_length: int = 0, strip: bool = True, multiline: bool = False,
    secret: bool = False,
) -> str:  # fmt: skip
    """A string field. Control characters (C0, DEL, C1) are refused, except tab and newline
    in a `multiline` field; a `secret` (a password) is taken exactly as sent."""
    value = body.get(field)
    if value is None:
        if required:
            raise invalid(field, f"'{field}' is required.")
        return default
    if not isinstance(value, str):
        raise invalid(field, f"'{field}' must be a string.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid(field, f"'{field}' is not valid UTF-8.") from None
    allowed = "\t\n" if multiline else ""
    if not secret and any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        raise invalid(field, f"'{field}' contains control characters"
                      + ("." if multiline else " (it must be a single line)."))
    if strip:
        value = value.strip()
    if len(value) < min_length:
        raise invalid(field, f"'{field}' must have at least {min_length} characters.")
    if len(value) > max_length:
        raise invalid(field, f"'{field}' must have at most {max_length} characters.")
    return value


def int_field(body: dict[str, Any], field: str, *, required: bool = True) -> int | None:
    value = body.get(field)
    if value is None:
        if required:
            raise invalid(field, f"'{field}' is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value >= 2**62:
        raise invalid(field, f"'{field}' must be a non-negative integer.")
    return value
