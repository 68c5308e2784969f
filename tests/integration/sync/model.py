"""A tiny dict model of what a sync batch does, for test_model.py to hold the server to,
and the batches it draws: over a small pool of paths chosen to collide (case variants,
a file that is also a folder name) with text and binary contents (JSON `content`, or
multipart parts with and without a declared `binary`). Its rules, read from
server/sync.py:

- parse first: a bad op anywhere (here: an ignored path, or a part declared text that is
  not UTF-8) refuses the whole batch with 422 before anything else is looked at;
- then in order: a put whose path differs only by case from a file refuses the whole
  batch (409 case_conflict); a stale base is a per-op `conflict` that changes nothing; a
  new file under a file (409 file_in_the_way) or over a folder (409 folder_in_the_way)
  refuses the whole batch; a rename onto another file is a per-op conflict;
- when at least one op applied, the project version goes up by one and every file the
  batch wrote takes it; otherwise nothing changes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st

from contract.rules import folded, is_text, parents
from server.sync_rules import RULES

# Weighted by repetition: the plain paths come up most, the colliding ones often enough.
PATHS = [
    "a.txt",
    "a.txt",
    "a.txt",
    "b.txt",
    "b.txt",
    "dir/c.txt",
    "dir/c.txt",
    "dir/d.txt",
    "dir/d.txt",
    "D.txt",
    "A.txt",
    "Dir/C.txt",
    "dir",
    "dir",
    "a.txt/x",
    "a.txt/x",
    "dir/sub/e.bin",
    "ünï.txt",
]
IGNORED = ["node_modules/x.js", ".env", "dir/build/out.txt"]

TEXTS = ["", "hello\n", "hello\n", "h\u00e9llo \u2713\r\nline 2\n", "x" * 300, "tab\tand\x00nul"]
BINARIES = [b"\x00\x01\x02\xff", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), b"\xff\xfe", b""]
# (bytes, how it is sent): json = "content"; auto = a part, kind detected; binary / text =
# a part with "binary": true / false.
CONTENTS = st.one_of(
    st.tuples(st.sampled_from(TEXTS).map(str.encode), st.just("json")),
    st.tuples(st.sampled_from(BINARIES + [b"plain text part\n"]), st.just("auto")),
    st.tuples(st.sampled_from([b"text sent as binary\n", *BINARIES]), st.just("binary")),
    st.tuples(st.sampled_from([b"declared text\n", b"caf\xc3\xa9\n"]), st.just("text")),
)
BAD_TEXT_PART = (b"\xc3\x28 not utf-8", "text")  # declared text, is not: 422 invalid_utf8

RARELY = st.sampled_from([False] * 20 + [True] + [False] * 20)  # not at an end: ends come often
PENDING = -1  # the version a file carries between its write and the end of its batch


@dataclass(frozen=True)
class File:
    path: str
    data: bytes
    binary: bool
    version: int

    @property
    def sha(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Op:
    kind: str  # put | delete | rename
    path: str
    base: int | None
    to: str | None = None
    data: bytes = b""
    mode: str = "json"


class Refused(Exception):
    def __init__(self, status: int, code: str) -> None:
        super().__init__(status, code)
        self.status, self.code = status, code


# --- the model ---------------------------------------------------------------------------


def _parse(ops: list[Op]) -> None:
    for op in ops:
        for path in filter(None, (op.path, op.to)):
            if RULES.ignored(path):
                raise Refused(422, "ignored_path")
        if op.kind == "put" and op.mode == "text" and not is_text(op.data):
            raise Refused(422, "invalid_utf8")
        # JSON text is text: a NUL in it is refused (such files go as binary parts).
        if op.kind == "put" and op.mode == "json" and b"\0" in op.data:
            raise Refused(422, "invalid_utf8")


def _place(tree: dict[str, File], path: str) -> None:
    if any(folded(parent) in tree for parent in parents(path)):
        raise Refused(409, "file_in_the_way")
    if any(key.startswith(folded(path) + "/") for key in tree):
        raise Refused(409, "folder_in_the_way")


def _conflict(index: int, path: str, current: File | None) -> dict[str, Any]:
    return {
        "index": index,
        "status": "conflict",
        "path": path,
        "current_version": current.version if current else None,
        "current_sha256": current.sha if current else None,
    }


def model_apply(
    files: dict[str, File], version: int, ops: list[Op]
) -> tuple[dict[str, File], int, list[dict[str, Any]]]:
    """The batch applied to the model: (files, version, results), or raise Refused."""
    _parse(ops)
    tree = dict(files)
    results: list[dict[str, Any]] = []
    applied: list[tuple[int, Op]] = []
    for index, op in enumerate(ops):
        key = folded(op.path)
        current = tree.get(key)
        if op.kind == "put":
            if current is not None and current.path != op.path:
                raise Refused(409, "case_conflict")
            fresh = op.base is None and current is None
            if not fresh and (current is None or current.version != op.base):
                results.append(_conflict(index, op.path, current))
                continue
            if current is None:
                _place(tree, op.path)
            binary = op.mode == "binary" or (op.mode == "auto" and not is_text(op.data))
            tree[key] = File(op.path, op.data, binary, PENDING)
        else:
            if current is None or current.path != op.path or current.version != op.base:
                same = current if current is not None and current.path == op.path else None
                results.append(_conflict(index, op.path, same))
                continue
            if op.kind == "delete":
                del tree[key]
            else:
                assert op.to is not None
                to_key = folded(op.to)
                if to_key != key and to_key in tree:  # onto another file
                    results.append(_conflict(index, op.to, tree[to_key]))
                    continue
                del tree[key]
                if to_key != key:
                    _place(tree, op.to)
                tree[to_key] = replace(current, path=op.to, version=PENDING)
        applied.append((index, op))
    if not applied:
        return files, version, results
    version += 1
    tree = {k: replace(f, version=version) if f.version == PENDING else f for k, f in tree.items()}
    for index, op in applied:
        result: dict[str, Any] = {
            "index": index,
            "status": "ok",
            "path": op.path,
            "version": version,
        }
        if op.kind == "put":
            result["sha256"] = hashlib.sha256(op.data).hexdigest()
        if op.kind == "rename":
            result["to"] = op.to
        results.append(result)
    results.sort(key=lambda r: r["index"])
    return tree, version, results


# --- generating batches against what the client knows (the model at the batch's start) ---


def resolve_base(files: dict[str, File], kind: str, path: str, choice: str) -> int | None:
    """The base_version a client would send: right (what it last saw), stale, or none."""
    known = files.get(folded(path))
    right = known.version if known is not None else None
    if choice == "right":
        return right if kind == "put" or right is not None else 0
    if choice == "stale":
        return right + 1 if right else 1
    return None if kind == "put" else 0


def draw_op(data: st.DataObject, files: dict[str, File]) -> Op:
    kind = data.draw(st.sampled_from(["put", "put", "put", "delete", "rename"]), label="kind")
    existing = sorted(f.path for f in files.values())
    if existing and data.draw(st.integers(0, 3), label="existing?") > (0 if kind == "put" else 1):
        path = data.draw(st.sampled_from(existing), label="existing path")  # mostly known
    else:
        path = data.draw(st.sampled_from(PATHS), label="path")
    if data.draw(RARELY, label="ignored?"):
        path = data.draw(st.sampled_from(IGNORED), label="ignored path")
    choice = data.draw(st.sampled_from(["right", "right", "right", "stale", "none"]), label="base")
    base = resolve_base(files, kind, path, choice)
    if kind == "put":
        content, mode = data.draw(CONTENTS, label="content")
        if data.draw(RARELY, label="bad text?"):
            content, mode = BAD_TEXT_PART
        return Op("put", path, base, data=content, mode=mode)
    if kind == "delete":
        return Op("delete", path, base)
    return Op("rename", path, base, to=data.draw(st.sampled_from(PATHS), label="to"))
