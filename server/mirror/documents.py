"""What every kept metadata document shares: the marker that stands for the mirror's base
URL in its file links (filled in per request, so one kept copy serves every host name the
server answers to), and the shape a document is kept in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

# Stands for the mirror's base URL ("https://ide.example/api/mirror") in kept documents.
# JSON text can hold a NUL only escaped, so no upstream text can carry the marker as is.
MARK = "\x00mirror\x00"
MARK_JSON = msgspec.json.encode(MARK)[1:-1]


@dataclass(frozen=True)
class Prepared:
    """A document ready to keep: its JSON (with MARK URLs) and, per file name, where the
    file comes from upstream ("url", None for a seeded file) and its "hashes" and "size"."""

    body: bytes
    sources: dict[str, dict[str, Any]]


def fill(body: bytes, base: str) -> bytes:
    """A kept JSON document with its links made absolute under `base`."""
    return body.replace(MARK_JSON, base.encode())
