"""server/db.redact: a database URL as the logs may show it, its password hidden."""

from __future__ import annotations

import pytest

from server.db import redact


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://alice:s3cr3t@db.example:5432/app",
            "postgresql://alice:***@db.example:5432/app",
        ),
        (
            "postgres://alice:s3cr3t@db/app?sslmode=require",
            "postgres://alice:***@db/app?sslmode=require",
        ),
        ("postgresql://alice:p%40ss@db/app", "postgresql://alice:***@db/app"),
        ("postgresql://postgres@127.0.0.1:5432/test", "postgresql://postgres@127.0.0.1:5432/test"),
        ("postgresql://", "postgresql://"),
        ("host=db user=alice dbname=app", "host=db user=alice dbname=app"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "host=db user=alice password=s3cr3t dbname=app",
        "host=db password='s3cr3t' dbname=app",
        "postgresql://alice@db/app?password=s3cr3t",
        "postgresql://alice:s3cr3t@db/app?password=s3cr3t",
        "postgresql://alice@db/app?sslmode=disable&password=s3cr3t&connect_timeout=5",
    ],
)
def test_redact_key_value_and_query_passwords(url: str) -> None:
    redacted = redact(url)
    assert "s3cr3t" not in redacted
    assert "***" in redacted
    assert "db" in redacted and "app" in redacted


def test_redact_unparsable() -> None:
    assert redact("not a url ===") == "<unparsable database URL>"
