"""client/core/tasks.py: spawned tasks are kept until done, named, and their failures
reach the reporter (not cancellations, not the failures of awaited tasks)."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Iterator

import pytest

from client.core import tasks


@pytest.fixture
def reported() -> Iterator[list[tuple[str, BaseException]]]:
    seen: list[tuple[str, BaseException]] = []
    tasks.set_reporter(lambda name, error: seen.append((name, error)))
    yield seen
    tasks.set_reporter(None)


async def _fail(message: str) -> None:
    await asyncio.sleep(0)
    raise ValueError(message)


def test_a_failing_task_reaches_the_reporter(reported: list[tuple[str, BaseException]]) -> None:
    async def main() -> None:
        task = tasks.spawn(_fail("boom"), "save the project")
        assert task.get_name() == "save the project"
        await asyncio.wait([task])

    asyncio.run(main())
    assert [(name, str(error)) for name, error in reported] == [("save the project", "boom")]
    assert isinstance(reported[0][1], ValueError)


def test_a_cancelled_task_is_not_reported(reported: list[tuple[str, BaseException]]) -> None:
    async def main() -> None:
        task = tasks.spawn(asyncio.sleep(10), "wait a while")
        await asyncio.sleep(0)
        task.cancel()
        await asyncio.wait([task])
        assert task.cancelled()

    asyncio.run(main())
    assert reported == []


def test_a_task_that_succeeds_is_not_reported(reported: list[tuple[str, BaseException]]) -> None:
    async def answer() -> int:
        return 42

    async def main() -> int:
        return await tasks.spawn(answer(), "answer")

    assert asyncio.run(main()) == 42
    assert reported == []


def test_an_awaited_task_leaves_its_failure_to_the_awaiter(
    reported: list[tuple[str, BaseException]],
) -> None:
    async def main() -> str:
        task = tasks.spawn(_fail("mine"), "load the editor", awaited=True)
        try:
            await task
        except ValueError as error:
            return str(error)
        return ""

    assert asyncio.run(main()) == "mine"
    assert reported == []


def test_the_reference_is_kept_while_running_and_dropped_when_done() -> None:
    async def main() -> None:
        before = tasks.running()
        gate = asyncio.Event()

        async def wait() -> None:
            await gate.wait()

        task = tasks.spawn(wait(), "wait for the gate")
        del task
        gc.collect()  # the loop keeps tasks weakly: only spawn's set keeps this one
        await asyncio.sleep(0)
        assert tasks.running() == before + 1
        gate.set()
        for _ in range(3):
            await asyncio.sleep(0)
        assert tasks.running() == before

    asyncio.run(main())


def test_without_a_reporter_failures_go_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    tasks.set_reporter(None)

    async def main() -> None:
        await asyncio.wait([tasks.spawn(_fail("logged"), "write the cache")])

    with caplog.at_level(logging.ERROR, logger="client.core.tasks"):
        asyncio.run(main())
    assert "write the cache" in caplog.text
    assert "logged" in caplog.text


def test_a_broken_reporter_still_logs_the_failure(caplog: pytest.LogCaptureFixture) -> None:
    def broken(_name: str, _error: BaseException) -> None:
        raise RuntimeError("the status bar is gone")

    tasks.set_reporter(broken)
    try:

        async def main() -> None:
            await asyncio.wait([tasks.spawn(_fail("still seen"), "push")])

        with caplog.at_level(logging.ERROR, logger="client.core.tasks"):
            asyncio.run(main())
    finally:
        tasks.set_reporter(None)
    assert "still seen" in caplog.text
