"""Reading request bodies within limits, and checking JSON objects field by field.

Every refusal is an ApiError with the right status: 413 for size, 400 for malformed JSON,
422 for a well-formed body with a wrong field (its name is in details.field).

Every JSON body the API reads goes through `loads`, which bounds what the parser may be
asked to do before it runs: nesting deeper than MAX_DEPTH (CPython's parser recurses, and
7,000 levels raised RecursionError, a 500) and integers longer than MAX_INT_DIGITS (CPython
refuses past 4,300 digits with a message about sys.set_int_max_str_digits) answer a 400
that says so. Sizes are bounded before that, as the body is read (read_bytes).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import anyio
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
    return ApiError(
        413,
        "too_large",
        f"The request body is larger than {max_bytes} bytes.",
        {"limit": max_bytes},
    )


OFF_LOOP_BYTES = 256 * 1024  # larger bodies are checked and parsed off the event loop


async def read_json(request: Request, max_bytes: int = RULES.max_request_bytes) -> dict[str, Any]:
    raw = await read_bytes(request, max_bytes)
    if len(raw) > OFF_LOOP_BYTES:
        return await anyio.to_thread.run_sync(parse_json, raw)
    return parse_json(raw)


MAX_DEPTH = 32  # the deepest body the API takes is 4 levels ({"ops": [{"edits": [{}]}]})
MAX_INT_DIGITS = 40  # every integer field is below 2**62 (19 digits)
# A JSON string, or an unterminated one running to the end (so that a run of quotes cannot
# make the scan quadratic); what is left between strings holds the brackets.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.?)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_OPEN_CLOSE = bytes.maketrans(b"[]", b"{}")


def nesting_depth_exceeds(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """True when arrays and objects in `raw` nest deeper than `limit`. Linear in C: each
    pass removes the innermost pairs, so a body nested d deep empties in d passes."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False  # the usual small body: too few brackets to nest that deep
    brackets = _STRING.sub(b"", raw).translate(_OPEN_CLOSE, _NOT_BRACKETS)
    for _ in range(limit):
        if not brackets:
            return False
        shorter = brackets.replace(b"{}", b"")
        if len(shorter) == len(brackets):
            return False  # unbalanced: the parser says what is wrong
        brackets = shorter
    return b"{}" in brackets


class _LongNumber(Exception):
    def __init__(self, digits: int) -> None:
        self.digits = digits


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _LongNumber(digits)
    return int(text)


def loads(raw: bytes | str, what: str = "The body") -> Any:
    """json.loads with bounds, for every JSON the API reads; refusals are 400s that name
    `what` was refused and why."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if nesting_depth_exceeds(data):
        raise ApiError(
            400,
            "malformed_json",
            f"{what} nests arrays and objects more than "
            f"{MAX_DEPTH} levels deep; no request needs more.",
            {"max_depth": MAX_DEPTH},
        )
    try:
        return json.loads(raw, parse_int=_int)
    except _LongNumber as error:
        raise ApiError(
            400,
            "malformed_json",
            f"{what} holds a number with {error.digits} "
            f"digits; numbers here have at most {MAX_INT_DIGITS}.",
            {"max_digits": MAX_INT_DIGITS},
        ) from None
    except RecursionError:  # a parser limit below MAX_DEPTH (never expected): still a 400
        raise ApiError(400, "malformed_json", f"{what} nests too deeply.") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, "malformed_json", f"{what} is not valid JSON: {error}") from None


def parse_json(raw: bytes) -> dict[str, Any]:
    body = loads(raw)
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
    body: dict[str, Any],
    field: str,
    *,
    max_length: int,
    required: bool = True,
    default: str = "",
    min_length: int = 0,
    strip: bool = True,
    multiline: bool = False,
    secret: bool = False,
) -> str:
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
        raise invalid(
            field,
            f"'{field}' contains control characters"
            + ("." if multiline else " (it must be a single line)."),
        )
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
