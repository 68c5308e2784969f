"""What a file must hash to, from its metadata (npm `dist.integrity` / `shasum`, PyPI
`hashes` or `#sha256=`), and the check of the bytes as they arrive. Every hash the
metadata gives is checked; sha256 is always computed too, as the address the bytes are
kept under. A file whose metadata gives no hash is not kept: nothing could tell a
tampered copy from the real one."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from typing import Any

# Algorithms taken from metadata; sha1 only because old npm packages have nothing else.
ALGORITHMS = ("sha512", "sha384", "sha256", "sha224", "sha1")
_LENGTHS = {"sha512": 64, "sha384": 48, "sha256": 32, "sha224": 28, "sha1": 20}


class IntegrityError(Exception):
    """The bytes are not what the metadata promised; `code` names how."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Expected:
    """Digests (algorithm -> hex) and, when the metadata says it, the size."""

    hashes: dict[str, str] = field(default_factory=dict)
    size: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"hashes": self.hashes, "size": self.size}


def from_npm_dist(dist: dict[str, Any]) -> Expected:
    """`integrity` (one or more `algo-base64` SRI entries) and the legacy `shasum` (hex)."""
    hashes: dict[str, str] = {}
    integrity = dist.get("integrity")
    if isinstance(integrity, str):
        for entry in integrity.split():
            algo, _, b64 = entry.partition("-")
            b64 = b64.split("?", 1)[0]  # SRI options
            if algo in ALGORITHMS and algo not in hashes:
                try:
                    raw = base64.b64decode(b64, validate=True)
                except (binascii.Error, ValueError):
                    continue
                if len(raw) == _LENGTHS[algo]:
                    hashes[algo] = raw.hex()
    shasum = dist.get("shasum")
    if isinstance(shasum, str) and _is_hex(shasum, "sha1") and "sha1" not in hashes:
        hashes["sha1"] = shasum.lower()
    return Expected(hashes)


def from_hashes(given: object, size: object = None) -> Expected:
    """PEP 691's `hashes` object (or a `#sha256=` fragment made into one)."""
    hashes = {}
    if isinstance(given, dict):
        for algo, value in given.items():
            ok = algo in ALGORITHMS and algo != "sha1" and isinstance(value, str)
            if ok and _is_hex(value, algo):
                hashes[algo] = value.lower()
    known = size if isinstance(size, int) and not isinstance(size, bool) else None
    return Expected(hashes, known if known is not None and known >= 0 else None)


def expected_from_json(data: dict[str, Any]) -> Expected:
    """An Expected as as_json() wrote it (into a metadata row's sources)."""
    size = data.get("size")
    return Expected(dict(data.get("hashes") or {}), size if isinstance(size, int) else None)


def _is_hex(value: str, algo: str) -> bool:
    try:
        return len(bytes.fromhex(value)) == _LENGTHS[algo]
    except ValueError:
        return False


def npm_integrity(data_sha512: bytes) -> str:
    return "sha512-" + base64.b64encode(data_sha512).decode("ascii")


class Verifier:
    """Feed it the bytes in order; `check()` at the end raises IntegrityError or returns
    the sha256 the bytes are kept under."""

    def __init__(self, expected: Expected) -> None:
        self.expected = expected
        self.size = 0
        self._sha256 = hashlib.sha256()
        self._others = {algo: hashlib.new(algo) for algo in expected.hashes if algo != "sha256"}

    def update(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self._sha256.update(chunk)
        for digest in self._others.values():
            digest.update(chunk)

    def check(self) -> bytes:
        want = self.expected
        if not want.hashes:
            raise IntegrityError(
                "no_hash",
                "The upstream's metadata gives no hash for this file, so the "
                "mirror cannot check it and does not keep it.",
            )
        if want.size is not None and self.size != want.size:
            raise IntegrityError(
                "truncated",
                f"The upstream sent {self.size} bytes where its metadata says {want.size}.",
            )
        sha256 = self._sha256.digest()
        got = {"sha256": sha256.hex(), **{a: d.hexdigest() for a, d in self._others.items()}}
        wrong = [algo for algo, value in want.hashes.items() if got[algo] != value]
        if wrong:
            raise IntegrityError(
                "integrity_mismatch",
                f"The file from the upstream does not match its metadata ({', '.join(wrong)} "
                "differs): it was tampered with or cut short, and is not kept.",
            )
        return sha256
