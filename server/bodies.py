"""Reading request bodies within limits, as the typed models of server/models/.

Every refusal is an ApiError with the right status: 413 for size (read_bytes, as the body
arrives), 400 for what is not JSON the API reads, 422 for a well-formed body with a wrong
field (details.field names it; server/models/refusals.py words it).

A body is decoded straight into its model by msgspec (`decode`). When msgspec refuses it,
the bounded reader `loads` finds out why: nesting deeper than limits.MAX_DEPTH (CPython's
parser recurses, and 7,000 levels raised RecursionError, a 500) and integers longer than
limits.MAX_INT_DIGITS (CPython refuses past 4,300 digits with a message about
sys.set_int_max_str_digits) answer a 400 that says so, before any field is looked at.
A body msgspec takes cannot hide either: it holds only the fields the model types.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any, TypeVar

import anyio
import msgspec
from starlette.requests import Request

from server import limits
from server.errors import ApiError
from server.models import refusals
from server.models.requests import Body


async def read_bytes(request: Request, max_bytes: int = limits.SYNC_BODY) -> bytes:
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


# A JSON string, or an unterminated one running to the end (so that a run of quotes cannot
# make the scan quadratic); what is left between strings holds the brackets.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.?)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_OPEN_CLOSE = bytes.maketrans(b"[]", b"{}")


def nesting_depth_exceeds(raw: bytes, limit: int = limits.MAX_DEPTH) -> bool:
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
    if digits > limits.MAX_INT_DIGITS:
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
            f"{limits.MAX_DEPTH} levels deep; no request needs more.",
            {"max_depth": limits.MAX_DEPTH},
        )
    try:
        return json.loads(raw, parse_int=_int)
    except _LongNumber as error:
        raise ApiError(
            400,
            "malformed_json",
            f"{what} holds a number with {error.digits} "
            f"digits; numbers here have at most {limits.MAX_INT_DIGITS}.",
            {"max_digits": limits.MAX_INT_DIGITS},
        ) from None
    except RecursionError:  # a parser limit below MAX_DEPTH (never expected): still a 400
        raise ApiError(400, "malformed_json", f"{what} nests too deeply.") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, "malformed_json", f"{what} is not valid JSON: {error}") from None


def parse_json(raw: bytes | str, what: str = "The body") -> dict[str, Any]:
    body = loads(raw, what)
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", f"{what} must be a JSON object.")
    return body


B = TypeVar("B", bound=Body)
Model = TypeVar("Model", bound=msgspec.Struct)


async def read_model(request: Request, model: type[B]) -> B:
    """The body, at most model.max_bytes, as `model` (an empty body as {} where the model
    says it may be empty); larger bodies are decoded off the event loop."""
    raw = await read_bytes(request, model.max_bytes)
    if not raw.strip() and model.may_be_empty:
        raw = b"{}"
    if len(raw) > limits.INLINE_BODY:
        return await anyio.to_thread.run_sync(decode, raw, model)
    return decode(raw, model)


def decode(raw: bytes | str, model: type[Model], what: str = "The body") -> Model:
    """`raw` as `model`, or an ApiError: 400 for what is not JSON the API reads (too deep,
    a number too long, malformed), 422 (or the model's 413) naming the first wrong field.

    msgspec decodes and checks in one pass in C, and a body's own fields are closed to it,
    so whatever it takes holds nothing it did not bound. When it refuses, the bounded json
    reader above and msgspec.convert find out why; they also take what its parser refuses
    but JSON allows: fields the model does not name (ignored), a lone surrogate in a \\u
    escape (a 422 for that field, not a 400 for the body)."""
    try:
        value: Model = _decoder(model).decode(raw)
    except (msgspec.DecodeError, RecursionError):  # ValidationError is a DecodeError
        return convert(parse_json(raw, what), model)
    return _checked(value)


def convert(data: dict[str, Any], model: type[Model]) -> Model:
    """Plain data (parsed JSON, query parameters) as `model`, or a 422 naming the field.
    Fields the model does not name are ignored, as they always were."""
    known = _field_names(model)
    try:
        return _checked(msgspec.convert({k: v for k, v in data.items() if k in known}, model))
    except msgspec.ValidationError as error:
        raise refusals.refusal(error, model) from None


@cache
def _field_names(model: type[msgspec.Struct]) -> frozenset[str]:
    return frozenset(field.encode_name for field in msgspec.structs.fields(model))


@cache
def _decoder(model: type[Model]) -> msgspec.json.Decoder[Model]:
    return msgspec.json.Decoder(model)


@cache
def _text_rules(model: type[msgspec.Struct]) -> list[tuple[str, Any]]:
    """The fields of `model` whose type carries a text rule (server/models/fields.py)."""
    found = []
    for field in msgspec.structs.fields(model):
        rule = refusals.declared(model, [field.encode_name]).get("text")
        if rule is not None:
            found.append((field.name, rule))
    return found


def _checked(value: Model) -> Model:
    for name, rule in _text_rules(type(value)):
        text = getattr(value, name)
        if isinstance(text, str):
            setattr(value, name, rule.check(name, text))
    return value
