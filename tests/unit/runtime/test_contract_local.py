"""The runtime contract (tests/contract) against the worker's host under CPython."""

from __future__ import annotations

import asyncio

import pytest

from tests.contract.runtime_contract import CONTRACTS
from tests.support.local_runtime import LocalRuntime


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_contract(name: str) -> None:
    async def main() -> None:
        runtime = LocalRuntime()
        await runtime.boot()
        try:
            await asyncio.wait_for(CONTRACTS[name](runtime), 30)
        finally:
            await runtime.teardown()

    asyncio.run(main())
