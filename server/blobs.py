"""File content at rest: addressed by sha256, stored as bytes, zlib-compressed over 1 MB."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

from server.sync_rules import RULES


@dataclass(frozen=True)
class Blob:
    sha256: bytes
    size: int
    data: bytes  # as stored: compressed when `compressed`
    compressed: bool


def digest(content: bytes) -> bytes:
    return hashlib.sha256(content).digest()


def pack(content: bytes) -> Blob:
    if len(content) > RULES.compress_over_bytes:
        squeezed = zlib.compress(content, 6)
        if len(squeezed) < len(content):
            return Blob(digest(content), len(content), squeezed, True)
    return Blob(digest(content), len(content), content, False)


def unpack(data: bytes, compressed: bool) -> bytes:
    return zlib.decompress(data) if compressed else data
