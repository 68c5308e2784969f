"""The npm side of the package mirror as the runtime's npm sees it
(client/worker/npm_registry.py): packuments asked once per command, abbreviated; the
failures told apart (no such package, upstream unreachable, offline); tarballs checked
against the packument's integrity, a tampered or truncated one refused."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re

import pytest

from client.core.npm.tree import NoSuchPackage
from client.worker.npm_registry import (
    IntegrityError,
    MirrorRegistry,
    Unreachable,
    check_integrity,
    packument_url,
)

REGISTRY = "http://ide.test/api/mirror/npm/"
TARBALL = b"\x1f\x8b tarball bytes"
SRI = "sha512-" + base64.b64encode(hashlib.sha512(TARBALL).digest()).decode()


def registry(answers: dict[str, tuple[int, bytes]]) -> tuple[MirrorRegistry, list[str]]:
    asked: list[str] = []

    async def get(url: str, accept: str) -> tuple[int, bytes]:
        asked.append(url)
        await asyncio.sleep(0)
        return answers.get(url, (404, b""))

    return MirrorRegistry(REGISTRY.rstrip("/"), get), asked


def test_packuments_are_asked_once_with_the_scope_escaped() -> None:
    doc = {"name": "@s/a", "versions": {"1.0.0": {}}}
    mirror, asked = registry({REGISTRY + "@s%2Fa": (200, json.dumps(doc).encode())})

    async def both() -> list[dict]:
        return list(await asyncio.gather(mirror.packument("@s/a"), mirror.packument("@s/a")))

    assert asyncio.run(both()) == [doc, doc]
    assert asked == [REGISTRY + "@s%2Fa"]
    assert packument_url(REGISTRY, "left-pad") == REGISTRY + "left-pad"


@pytest.mark.parametrize(
    ("answer", "error", "words"),
    [
        ((404, b""), NoSuchPackage, "nope is not in the registry"),
        ((503, b""), Unreachable, "upstream unreachable"),
        ((0, b""), Unreachable, "cannot be reached (offline?)"),
        ((500, b""), Unreachable, "HTTP 500"),
        ((200, b"<html>"), Exception, "not JSON"),
        ((200, b"[1]"), Exception, "has no versions"),
        ((200, b'{"versions": 3}'), Exception, "has no versions"),
    ],
)
def test_failures_are_told_apart(answer: tuple[int, bytes], error: type, words: str) -> None:
    mirror, _ = registry({REGISTRY + "nope": answer})
    with pytest.raises(error, match=re.escape(words)):
        asyncio.run(mirror.packument("nope"))


def test_tarballs_are_checked_and_only_the_mirror_is_asked() -> None:
    url = REGISTRY + "a/-/a-1.0.0.tgz"
    mirror, asked = registry({url: (200, TARBALL)})
    assert asyncio.run(mirror.tarball("a", "1.0.0", url, SRI)) == TARBALL
    # A lockfile made elsewhere names another registry: the mirror is asked instead.
    foreign = "https://registry.example/a/-/a-1.0.0.tgz"
    assert asyncio.run(mirror.tarball("a", "1.0.0", foreign, SRI)) == TARBALL
    assert asked == [url, url]
    assert mirror.fetched_bytes == 2 * len(TARBALL)
    tampered = registry({url: (200, TARBALL + b"!")})[0]
    with pytest.raises(IntegrityError, match="EINTEGRITY"):
        asyncio.run(tampered.tarball("a", "1.0.0", url, SRI))
    truncated = registry({url: (200, TARBALL[:5])})[0]
    with pytest.raises(IntegrityError):
        asyncio.run(truncated.tarball("a", "1.0.0", url, SRI))
    offline = registry({})[0]
    with pytest.raises(Exception, match="HTTP 404"):
        asyncio.run(offline.tarball("a", "1.0.0", url, SRI))


def test_integrity_takes_the_strongest_hash_then_the_legacy_shasum() -> None:
    sha1 = hashlib.sha1(TARBALL).hexdigest()  # noqa: S324 - npm's legacy shasum
    check_integrity(TARBALL, f"sha1-AAAA {SRI}")  # sha512 decides, the wrong sha1 is not read
    check_integrity(TARBALL, None, sha1)
    check_integrity(TARBALL, f"{SRI}?opts", None)
    with pytest.raises(IntegrityError, match="no hash"):
        check_integrity(TARBALL, "md5-xyz", None)
    with pytest.raises(IntegrityError):
        check_integrity(TARBALL, None, "0" * 40)
