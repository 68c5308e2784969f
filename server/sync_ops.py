"""The operations of a sync batch (put, patch, delete, rename): decoded from the request
by their models (server/models/requests.py), then checked one by one for what a model
cannot say before the database is touched, their content packed into blobs.

A malformed operation refuses the whole batch with a 4xx whose details name the operation
and the field; applying what is valid is server/sync.py's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from contract.rules import PathError, is_text
from server import blobs
from server.errors import ApiError
from server.models.requests import DeleteOp, PatchOp, PutOp, RenameOp
from server.sync_rules import RULES


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


def _path(raw: str, index: int, name: str) -> str:
    try:
        path = RULES.normalise(raw)
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


def _text(text: str, index: int, field_name: str) -> bytes:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which a JSON \u escape can carry
        raise op_error(
            index, field_name, "the text is not valid UTF-8", code="invalid_utf8"
        ) from None
    if b"\0" in data:  # text never holds NUL (contract.rules.is_text); such files go as binary
        raise op_error(
            index,
            field_name,
            "text may not contain NUL; send the file as binary (content_ref)",
            code="invalid_utf8",
        )
    return data


def _content(raw: PutOp, index: int, parts: dict[str, bytes]) -> tuple[bytes, bool]:
    if isinstance(raw.content, str) == isinstance(raw.content_ref, str):
        raise op_error(index, "content", "a put needs exactly one of content or content_ref")
    if isinstance(raw.content, str):
        return _text(raw.content, index, "content"), False
    if raw.content_ref not in parts:
        raise op_error(index, "content_ref", "content_ref must name a part of this request")
    data = parts[raw.content_ref]
    if raw.binary is None:
        return data, not is_text(data)
    if not raw.binary and not is_text(data):
        raise op_error(
            index,
            "content_ref",
            "the content is declared text but is not valid UTF-8",
            code="invalid_utf8",
        )
    return data, raw.binary


def _edits(raw: PatchOp, index: int) -> tuple[tuple[int, int, str], ...]:
    """A patch's edits (start, end, text): character offsets into the base text, sorted
    and not overlapping. Checked against the base's length when it is applied."""
    previous_end = 0
    for edit in raw.edits:
        if not previous_end <= edit.start <= edit.end:
            raise op_error(
                index,
                "edits",
                "edits must be sorted, not overlap, and have start <= end",
                code="bad_patch",
            )
        _text(edit.text, index, "edits")
        previous_end = edit.end
    return tuple((edit.start, edit.end, edit.text) for edit in raw.edits)


def parse_ops(
    requested: Sequence[PutOp | PatchOp | DeleteOp | RenameOp],
    parts: dict[str, bytes] | None = None,
) -> list[Op]:
    """Check what the request models cannot (paths, content, the order of edits) before
    touching the database; pack content into blobs."""
    parts = parts or {}
    ops = []
    for index, raw in enumerate(requested):
        path = _path(raw.path, index, "path")
        if isinstance(raw, PutOp):
            data, is_binary = _content(raw, index, parts)
            if len(data) > RULES.max_file_bytes:
                raise op_error(
                    index,
                    "content",
                    f"the file is larger than {RULES.max_file_bytes} bytes",
                    413,
                    "file_too_large",
                )
            blob = blobs.pack(data)
            ops.append(
                Op(
                    index,
                    "put",
                    path,
                    raw.base_version,
                    blob=blob,
                    is_binary=is_binary,
                    content=data,
                )
            )
        elif isinstance(raw, PatchOp):
            ops.append(Op(index, "patch", path, raw.base_version, edits=_edits(raw, index)))
        elif isinstance(raw, DeleteOp):
            ops.append(Op(index, "delete", path, raw.base_version))
        else:
            ops.append(Op(index, "rename", path, raw.base_version, to=_path(raw.to, index, "to")))
    return ops
