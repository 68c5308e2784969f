"""Conditional GETs: the entity tags an If-None-Match header lists (RFC 9110 13.1.2), so a
client that holds the current version is answered 304 instead of the body again. Used by
the static site, project loads and share links."""

from __future__ import annotations


def if_none_match(header: str | None) -> frozenset[str]:
    """The tags as sent, quoted; "*" stands for any. If-None-Match compares weakly (RFC 9110
    8.8.3.2), so `W/"x"` is `"x"`: a proxy that compresses on the fly weakens the tags it
    passes on, and the browser sends back the weakened one."""
    return frozenset(
        tag.removeprefix("W/") for part in (header or "").split(",") if (tag := part.strip())
    )


def matches(etag: str, header: str | None) -> bool:
    """Whether a request's If-None-Match names `etag` (or any tag, `*`): answer 304."""
    wanted = if_none_match(header)
    return etag in wanted or "*" in wanted
