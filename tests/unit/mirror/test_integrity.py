"""Hashes from metadata, and the check of the bytes against them."""

from __future__ import annotations

import base64
import hashlib

import pytest

from server.mirror.integrity import (
    Expected,
    IntegrityError,
    Verifier,
    expected_from_json,
    from_hashes,
    from_npm_dist,
)

DATA = b"package bytes" * 100


def sri(algo: str, data: bytes = DATA) -> str:
    return f"{algo}-" + base64.b64encode(hashlib.new(algo, data).digest()).decode()


def test_npm_integrity_and_shasum() -> None:
    sha1 = hashlib.sha1(DATA).hexdigest()  # noqa: S324 (npm's legacy field)
    found = from_npm_dist({"integrity": f"{sri('sha512')} {sri('sha256')}", "shasum": sha1})
    assert found.hashes == {
        "sha512": hashlib.sha512(DATA).hexdigest(),
        "sha256": hashlib.sha256(DATA).hexdigest(),
        "sha1": sha1,
    }
    assert from_npm_dist({"integrity": "sha512-!!!", "shasum": "zz"}).hashes == {}
    assert from_npm_dist({"integrity": "md5-" + base64.b64encode(b"x" * 16).decode()}).hashes == {}
    short = "sha512-" + base64.b64encode(b"short").decode()
    assert from_npm_dist({"integrity": short}).hashes == {}


def test_pypi_hashes() -> None:
    digest = hashlib.sha256(DATA).hexdigest()
    found = from_hashes({"sha256": digest.upper(), "md5": "00" * 16, "sha1": "00" * 20}, 12)
    assert found == Expected({"sha256": digest}, 12)
    assert from_hashes({"sha256": "nothex"}, -1) == Expected({}, None)
    assert from_hashes(None, True).size is None
    assert expected_from_json(found.as_json()) == found


def feed(expected: Expected, data: bytes = DATA) -> bytes:
    verifier = Verifier(expected)
    for start in range(0, len(data), 100):
        verifier.update(data[start : start + 100])
    return verifier.check()


def test_every_given_hash_is_checked() -> None:
    good = from_npm_dist({"integrity": f"{sri('sha512')} {sri('sha384')}"})
    assert feed(good) == hashlib.sha256(DATA).digest()
    bad = Expected({**good.hashes, "sha384": hashlib.sha384(b"other").hexdigest()})
    with pytest.raises(IntegrityError) as refused:
        feed(bad)
    assert refused.value.code == "integrity_mismatch" and "sha384" in refused.value.message
    with pytest.raises(IntegrityError) as tampered:
        feed(good, DATA[:-1] + b"!")
    assert tampered.value.code == "integrity_mismatch"


def test_size_and_missing_hashes() -> None:
    expected = Expected({"sha256": hashlib.sha256(DATA).hexdigest()}, len(DATA) + 1)
    with pytest.raises(IntegrityError) as short:
        feed(expected)
    assert short.value.code == "truncated"
    with pytest.raises(IntegrityError) as none:
        feed(Expected())
    assert none.value.code == "no_hash"
