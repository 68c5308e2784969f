"""The Storage contract (tests/contract/storage_contract.py) against MemoryStorage under
CPython. The same file runs against IndexedDbStore in Chromium (tests/e2e)."""

from __future__ import annotations

import asyncio

import pytest

from client.core.ports import MemoryStorage
from tests.contract.storage_contract import CONTRACTS


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_memory_storage_keeps_the_contract(name: str) -> None:
    storage = MemoryStorage()
    asyncio.run(CONTRACTS[name](lambda: storage, "project-1"))
