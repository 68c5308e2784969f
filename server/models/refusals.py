"""A body the models refuse, told in the API's words: msgspec's ValidationError becomes a
422 (code `invalid`, or the code the field's type declares) whose details.field names the
field, and details.op the operation of a sync. Types declare more in their Meta's `extra`:
{"code": ...} for any refusal of that field, {"too_long": code} for a 413 when a list holds
too many items, {"absent": words} for a field that is missing or null.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import msgspec
from msgspec import inspect

from server.errors import ApiError

Names = list[str | int]  # where in the body: field names and list indexes

_AT = re.compile(r"(?P<what>.*?)(?: - at `\$(?P<where>[^`]*)`)?", re.DOTALL)
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_NAMED = re.compile(r"Object (missing required|contains unknown) field `([^`]+)`")
_TYPE = re.compile(r"Expected `([^`]+)`, got `([^`]+)`")
_BOUND = re.compile(r"Expected `(\w+)`(?: of length)? (>=|<=|>|<) (-?\d+)")
_VALUE = re.compile(r"Invalid (?:enum )?value (.*)")
_WORDS = {  # msgspec's names of JSON types, and Python's (which it gives for a tag field)
    "int": "an integer",
    "float": "a number",
    "str": "a string",
    "bool": "true or false",
    "null": "null",
    "NoneType": "null",
    "object": "an object",
    "dict": "an object",
    "array": "a list",
    "list": "a list",
}
_COMPARED = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than"}
_UNITS = {"str": "character", "array": "item"}


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid", message, {"field": field})


def refusal(error: msgspec.ValidationError, model: type[msgspec.Struct]) -> ApiError:
    found = _AT.fullmatch(str(error))
    assert found is not None  # the pattern matches any text
    what = found["what"]
    names: Names = [a or int(b) for a, b in _STEP.findall(found["where"] or "")]
    named = _NAMED.fullmatch(what)
    if named:
        names.append(named[2])
    details: dict[str, Any] = {}
    prefix, inner = "", names
    numbered = getattr(model, "numbered", "")
    if numbered and names[:1] == [numbered] and len(names) > 1 and isinstance(names[1], int):
        prefix, details["op"], inner = f"Operation {names[1]}: ", names[1], names[2:]
    details["field"] = next((n for n in inner if isinstance(n, str)), "op" if prefix else "body")
    extra = declared(model, names)
    code = extra.get("code", "invalid")
    typed = _TYPE.fullmatch(what)
    if "absent" in extra and (named or (typed and _words(typed[2]) == "null")):
        return ApiError(422, code, f"{prefix}{extra['absent']}.", details)
    bound = _BOUND.fullmatch(what)
    if bound and bound[2] == "<=" and "too_long" in extra:
        code, details["limit"] = extra["too_long"], int(bound[3])
    status = 413 if "limit" in details else 422
    subject = f"'{_dotted(inner)}'" if inner else ("the operation" if prefix else "The body")
    return ApiError(status, code, f"{prefix}{subject} {_problem(what, model, names)}.", details)


def _problem(what: str, model: type[msgspec.Struct], names: Names) -> str:
    """msgspec's reason, in the API's words."""
    if named := _NAMED.fullmatch(what):
        return "is required" if named[1] == "missing required" else "is not a field it takes"
    if typed := _TYPE.fullmatch(what):
        return f"must be {_words(typed[1])}, not {_words(typed[2])}"
    if bound := _BOUND.fullmatch(what):
        unit = _UNITS.get(bound[1], "")
        verb = {"character": "have", "item": "hold"}.get(unit, "be")
        plural = "" if bound[3] == "1" else "s"
        return f"must {verb} {_COMPARED[bound[2]]} {bound[3]}" + (
            f" {unit}{plural}" if unit else ""
        )
    if value := _VALUE.fullmatch(what):
        choices = _tags(model, names)
        if choices:
            return f"must be one of {', '.join(choices)}, not {value[1]}"
        return f"cannot be {value[1]}"
    return f"is refused: {what}"


def declared(model: type[msgspec.Struct], names: Names) -> dict[str, Any]:
    """What the type at `names` declares in its Meta's extra (merged over a union)."""
    extra: dict[str, Any] = {}
    for kind in _at(model, names):
        for meta in _metadata(kind):
            extra.update(meta.extra or {})
    return extra


def _dotted(names: Names) -> str:
    return "".join(f"[{n}]" if isinstance(n, int) else f".{n}" for n in names).lstrip(".")


def _words(types: str) -> str:
    return " or ".join(_WORDS.get(name, name) for name in types.split(" | "))


@cache
def _info(model: type[msgspec.Struct]) -> inspect.Type:
    return inspect.type_info(model)


def _metadata(kind: inspect.Type) -> list[inspect.Metadata]:
    if isinstance(kind, inspect.Metadata):
        return [kind, *_metadata(kind.type)]
    if isinstance(kind, inspect.UnionType):
        return [meta for member in kind.types for meta in _metadata(member)]
    return []


def _bare(kind: inspect.Type) -> list[inspect.Type]:
    """The types a value of `kind` may have, with Meta and unions taken apart."""
    if isinstance(kind, inspect.Metadata):
        return _bare(kind.type)
    if isinstance(kind, inspect.UnionType):
        return [bare for member in kind.types for bare in _bare(member)]
    return [kind]


def _at(model: type[msgspec.Struct], names: Names) -> list[inspect.Type]:
    kinds = [_info(model)]
    for name in names:
        following: list[inspect.Type] = []
        for kind in (bare for k in kinds for bare in _bare(k)):
            if isinstance(kind, inspect.ListType) and isinstance(name, int):
                following.append(kind.item_type)
            elif isinstance(kind, inspect.StructType):
                following += [f.type for f in kind.fields if f.encode_name == name]
        kinds = following
    return kinds


def _tags(model: type[msgspec.Struct], names: Names) -> list[str]:
    """The values a tag field may take, when `names` ends at one (a sync's `op`)."""
    if not names:
        return []
    kinds = [bare for k in _at(model, names[:-1]) for bare in _bare(k)]
    return [
        str(kind.tag)
        for kind in kinds
        if isinstance(kind, inspect.StructType) and kind.tag_field == names[-1]
    ]
