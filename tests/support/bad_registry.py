"""A misbehaving upstream, for the integrity tests only: a tiny registry whose metadata
promises one set of bytes while its files deliver others. Every other mirror test uses a
real upstream (a second mirror instance, tests/support/mirror.py); this one exists because
a well-behaved mirror cannot be made to lie.

Packages (npm at /npm/, PyPI at /pypi/simple/), one version each:
  good      metadata and file agree
  tampered  the file differs from its hashes by one byte
  cut       the file breaks off halfway (Content-Length promises all of it)
  short     PyPI only: the file is complete but shorter than the size the page states
  nohash    the metadata gives no hash at all
  big       agrees, but is larger than the small limit the test sets
Any other name answers 404, as a registry does for a package it does not have."""

from __future__ import annotations

import base64
import hashlib
import json

from starlette.types import Receive, Scope, Send

CASES = ("good", "tampered", "cut", "short", "nohash", "big")
PAYLOAD = b"the real bytes of a package, as its metadata describes them\n" * 40
BIG = PAYLOAD * 10


def body_of(case: str) -> bytes:
    return BIG if case == "big" else PAYLOAD


def _npm_doc(base: str, case: str) -> dict[str, object]:
    data = body_of(case)
    dist: dict[str, str] = {"tarball": f"{base}/npm/{case}/-/{case}-1.0.0.tgz"}
    if case != "nohash":
        dist["integrity"] = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        dist["shasum"] = hashlib.sha1(data).hexdigest()  # noqa: S324 (npm's own field)
    version = {"name": case, "version": "1.0.0", "dist": dist}
    return {"name": case, "dist-tags": {"latest": "1.0.0"}, "versions": {"1.0.0": version}}


def _pypi_doc(base: str, case: str) -> dict[str, object]:
    data = body_of(case)
    name = f"{case}-1.0-py3-none-any.whl"
    hashes = {} if case == "nohash" else {"sha256": hashlib.sha256(data).hexdigest()}
    size = len(data) + 10 if case == "short" else len(data)
    entry = {
        "filename": name,
        "url": f"{base}/pypi/files/{case}/{name}",
        "hashes": hashes,
        "size": size,
    }
    return {"meta": {"api-version": "1.1"}, "name": case, "files": [entry], "versions": ["1.0"]}


async def _send(send: Send, status: int, body: bytes, kind: str = "application/json") -> None:
    headers = [(b"content-type", kind.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def bad_registry(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    host = dict(scope["headers"]).get(b"host", b"").decode()
    base, path = f"http://{host}", scope["path"]
    parts = path.strip("/").split("/")
    case = next((c for c in CASES if c in parts[1:3]), None)
    if case is None or (parts[0] == "npm" and case == "short"):
        await _send(send, 404, b'{"error": "not found"}')
        return
    is_file = "-" in parts[1:] or parts[:2] == ["pypi", "files"]
    if not is_file:
        doc = _npm_doc(base, case) if parts[0] == "npm" else _pypi_doc(base, case)
        kind = "application/json" if parts[0] == "npm" else "application/vnd.pypi.simple.v1+json"
        await _send(send, 200, json.dumps(doc).encode(), kind)
        return
    data = body_of(case)
    if case == "tampered":
        data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
    if case == "cut":
        headers = [(b"content-length", str(len(data)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": data[: len(data) // 2], "more_body": True}
        )
        raise ConnectionAbortedError("the bad registry breaks off this download on purpose")
    await _send(send, 200, data, "application/octet-stream")
