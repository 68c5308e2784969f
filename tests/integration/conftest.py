"""API fixtures: `new_api()` gives an independent client (own cookies) on a fresh database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.api import Api, api_app


@pytest.fixture
def new_api(database_url: str, tmp_path: Path) -> Iterator[Callable[[], Api]]:
    with api_app(database_url, tmp_path) as factory:
        yield factory


@pytest.fixture
def api(new_api: Callable[[], Api]) -> Api:
    """A client signed in as a fresh user."""
    client = new_api()
    client.signup()
    return client
