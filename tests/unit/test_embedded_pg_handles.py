"""pgserver's list of the processes using a data dir (`<pgdata>/.handle_pids.json`), as the
embedded PostgreSQL manager tidies it before joining (server/embedded_pg.py): the dead are
struck off, the living kept, an unreadable list emptied, and each change said in the log.
tests/integration/test_embedded_pg.py runs the real server through a SIGKILL."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from server.embedded_pg import _alive, _forget_dead_handles


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The id of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def handles_of(pgdata: Path, content: str) -> Path:
    pgdata.mkdir(parents=True, exist_ok=True)
    handles = pgdata / ".handle_pids.json"
    handles.write_text(content)
    return handles


def test_who_is_alive(dead_pid: int) -> None:
    assert _alive(os.getpid())
    assert _alive(os.getppid())
    assert not _alive(dead_pid)
    for not_a_process in (0, -1, -os.getpid(), "123", None, 1.5, [os.getpid()]):
        assert not _alive(not_a_process), not_a_process


def test_the_dead_are_struck_off_and_the_living_kept(
    tmp_path: Path, dead_pid: int, caplog: pytest.LogCaptureFixture
) -> None:
    living = [os.getpid(), os.getppid()]
    handles = handles_of(tmp_path / "postgres", json.dumps([living[0], dead_pid, living[1]]))
    with caplog.at_level(logging.WARNING, logger="cospai"):
        _forget_dead_handles(tmp_path / "postgres")
    assert json.loads(handles.read_text()) == living
    [record] = caplog.records
    message = record.getMessage()
    assert "forgetting processes that died without stopping it" in message
    assert f"({dead_pid})" in message
    assert str(tmp_path / "postgres") in message


@pytest.mark.parametrize("content", ["", "[]", json.dumps([os.getpid()], indent=4)])
def test_a_list_of_none_or_only_the_living_is_left_as_it_was(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    handles = handles_of(tmp_path / "postgres", content)  # the last not as we would write it
    with caplog.at_level(logging.WARNING, logger="cospai"):
        _forget_dead_handles(tmp_path / "postgres")
    assert handles.read_text() == content
    assert caplog.records == []


@pytest.mark.parametrize("content", ["{not json", '{"pids": [1]}', '"1234"', "42", "null"])
def test_an_unreadable_list_is_emptied(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    handles = handles_of(tmp_path / "postgres", content)
    with caplog.at_level(logging.WARNING, logger="cospai"):
        _forget_dead_handles(tmp_path / "postgres")
    assert json.loads(handles.read_text()) == []
    [record] = caplog.records
    assert "(an unreadable list)" in record.getMessage()


def test_entries_that_are_no_process_ids_are_dropped(tmp_path: Path, dead_pid: int) -> None:
    handles = handles_of(
        tmp_path / "postgres", json.dumps([str(os.getpid()), os.getpid(), -5, 0, dead_pid])
    )
    _forget_dead_handles(tmp_path / "postgres")
    assert json.loads(handles.read_text()) == [os.getpid()]


@pytest.mark.parametrize("layout", ["no folder", "no list", "a file"])
def test_nothing_to_tidy_writes_nothing(
    tmp_path: Path, layout: str, caplog: pytest.LogCaptureFixture
) -> None:
    pgdata = tmp_path / "postgres"
    if layout == "no list":
        pgdata.mkdir()
    elif layout == "a file":
        pgdata.write_text("not a cluster")  # pgserver refuses it, with its own reason
    with caplog.at_level(logging.WARNING, logger="cospai"):
        _forget_dead_handles(pgdata)
    assert caplog.records == []
    if layout == "no folder":
        assert not pgdata.exists()
    elif layout == "no list":
        assert list(pgdata.iterdir()) == []
    else:
        assert pgdata.read_text() == "not a cluster"
