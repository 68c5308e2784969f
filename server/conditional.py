"""Conditional GETs: the entity tags an If-None-Match header lists (RFC 9110 13.1.2), so a
client that holds the current version is answered 304 instead of the body again. Used by
the static site, project loads and share links."""

from __future__ import annotations


def if_none_match(header: str | None) -> frozenset[str]:
    """The tags as sent (quoted, a weak one with its W/); "*" stands for any."""
    return frozenset(tag for part in (header or "").split(",") if (tag := part.strip()))
