"""The operations of a sync batch (put, patch, delete, rename): read from the request,
checked one by one before the database is touched, their content packed into blobs.

A malformed operation refuses the whole batch with a 4xx whose details name the operation
and the field; applying what is valid is server/sync.py's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract.rules import PathError, is_text
from server import blobs
from server.bodies import invalid
from server.errors import ApiError
from server.sync_rules import RULES

KINDS = {"put", "patch", "delete", "rename"}
MAX_EDITS = 10_000


@dataclass(frozen=True)
class Op:
    index: int
    kind: str
    path: str
    base_version: int | None
    to: str | None = None
    blob: blobs.Blob | None = None
    is_binary: bool = False
    content: bytes | None = None  # a put's raw bytes (a later patch in the batch reads them)
    edits: tuple[tuple[int, int, str], ...] = ()  # a patch: (start, end, text) in characters
    label: str = ""  # how refusals name it; "" = "Operation <index>" (a sync's own ops)


def put_op(index: int, path: str, data: bytes, base_version: int | None = None) -> Op:
    """A put of trusted, already-checked content (templates, imports): binary unless text."""
    return Op(
        index,
        "put",
        path,
        base_version,
        blob=blobs.pack(data),
        is_binary=not is_text(data),
        content=data,
        label=f"The imported file '{path}'",
    )


def op_error(
    index: int, field_name: str, message: str, status: int = 422, code: str = "invalid"
) -> ApiError:
    return ApiError(
        status, code, f"Operation {index}: {message}", {"op": index, "field": field_name}
    )


def _path(raw: dict[str, Any], index: int, name: str) -> str:
    try:
        path = RULES.normalise(raw.get(name))
    except PathError as error:
        raise op_error(index, name, str(error), code="invalid_path") from None
    if RULES.ignored(path):
        raise op_error(
            index,
            name,
            f"'{path}' is never synced (node_modules/, .git/, dist/, "
            "build/ and .env files stay local)",
            code="ignored_path",
        )
    return path


def _base(raw: dict[str, Any], index: int, required: bool) -> int | None:
    value = raw.get("base_version")
    if value is None:
        if required:
            raise op_error(index, "base_version", "base_version is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**62:
        raise op_error(index, "base_version", "base_version must be a non-negative integer")
    return value


def _content(raw: dict[str, Any], index: int, parts: dict[str, bytes]) -> tuple[bytes, bool]:
    has_text, has_ref = "content" in raw, "content_ref" in raw
    if has_text == has_ref:
        raise op_error(index, "content", "a put needs exactly one of content or content_ref")
    if has_text:
        text = raw["content"]
        if not isinstance(text, str):
            raise op_error(index, "content", "content must be a string (text files)")
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            raise op_error(
                index, "content", "content is not valid UTF-8", code="invalid_utf8"
            ) from None
        if b"\0" in data:  # text never holds NUL (contract.rules.is_text); such files go as binary
            raise op_error(
                index,
                "content",
                "text content may not contain NUL; send the file as binary (content_ref)",
                code="invalid_utf8",
            )
        return data, False
    ref = raw["content_ref"]
    if not isinstance(ref, str) or ref not in parts:
        raise op_error(index, "content_ref", "content_ref must name a part of this request")
    data = parts[ref]
    binary = raw.get("binary")
    if binary is None:
        return data, not is_text(data)
    if not isinstance(binary, bool):
        raise op_error(index, "binary", "binary must be true or false")
    if not binary and not is_text(data):
        raise op_error(
            index,
            "content_ref",
            "the content is declared text but is not valid UTF-8",
            code="invalid_utf8",
        )
    return data, binary


def _edits(raw: dict[str, Any], index: int) -> tuple[tuple[int, int, str], ...]:
    """A patch's edits: [{start, end, text}], character offsets into the base text, sorted
    and not overlapping. Checked against the base's length when it is applied."""
    edits = raw.get("edits")
    if not isinstance(edits, list) or not 1 <= len(edits) <= MAX_EDITS:
        raise op_error(index, "edits", f"edits must be a list of 1 to {MAX_EDITS} edits")
    out: list[tuple[int, int, str]] = []
    previous_end = 0
    for edit in edits:
        if not isinstance(edit, dict):
            raise op_error(index, "edits", "each edit is {start, end, text}")
        start, end, text = edit.get("start"), edit.get("end"), edit.get("text", "")
        if (
            isinstance(start, bool)
            or isinstance(end, bool)
            or not isinstance(start, int)
            or not isinstance(end, int)
            or not isinstance(text, str)
        ):
            raise op_error(index, "edits", "an edit needs integer start and end and a text")
        if not previous_end <= start <= end:
            raise op_error(
                index,
                "edits",
                "edits must be sorted, not overlap, and have start <= end",
                code="bad_patch",
            )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise op_error(
                index, "edits", "an edit's text is not valid UTF-8", code="invalid_utf8"
            ) from None
        out.append((start, end, text))
        previous_end = end
    return tuple(out)


def parse_ops(raw_ops: object, parts: dict[str, bytes] | None = None) -> list[Op]:
    """Check every operation before touching the database; pack content into blobs."""
    parts = parts or {}
    if not isinstance(raw_ops, list):
        raise invalid("ops", "'ops' must be a list of operations.")
    if len(raw_ops) > RULES.max_ops_per_sync:
        raise ApiError(
            413,
            "too_many_ops",
            f"At most {RULES.max_ops_per_sync} operations fit in one sync.",
            {"limit": RULES.max_ops_per_sync},
        )
    ops = []
    for index, raw in enumerate(raw_ops):
        if not isinstance(raw, dict):
            raise op_error(index, "op", "each operation must be an object")
        kind = raw.get("op")
        if not isinstance(kind, str) or kind not in KINDS:
            raise op_error(index, "op", "op must be one of put, patch, delete, rename")
        path = _path(raw, index, "path")
        if kind == "put":
            data, is_binary = _content(raw, index, parts)
            if len(data) > RULES.max_file_bytes:
                raise op_error(
                    index,
                    "content",
                    f"the file is larger than {RULES.max_file_bytes} bytes",
                    413,
                    "file_too_large",
                )
            ops.append(
                Op(
                    index,
                    kind,
                    path,
                    _base(raw, index, False),
                    blob=blobs.pack(data),
                    is_binary=is_binary,
                    content=data,
                )
            )
        elif kind == "patch":
            ops.append(Op(index, kind, path, _base(raw, index, True), edits=_edits(raw, index)))
        elif kind == "delete":
            ops.append(Op(index, kind, path, _base(raw, index, True)))
        else:
            if raw.get("to") is None:
                raise op_error(
                    index, "to", "a rename needs 'to', the file's new path", code="invalid_path"
                )
            ops.append(Op(index, kind, path, _base(raw, index, True), to=_path(raw, index, "to")))
    return ops
