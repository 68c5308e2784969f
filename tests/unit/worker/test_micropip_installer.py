"""client/worker/micropip_installer.py over a stand-in micropip: what it is asked (the
wheelhouse first, reinstalls, local wheels from the worker's file system), and each of
its refusals said in one line."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from client.worker.host import InstallError
from client.worker.micropip_installer import PYPI, MicropipInstaller, explain
from tests.support.coroutines import run

WHEELHOUSE = "http://ide.test/assets/wheels/simple/"


class Package:
    def __init__(self, version: str) -> None:
        self.version = version


@pytest.fixture
def micropip(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Pyodide's micropip as the installer calls it; `refuse` is raised by install."""
    fake: Any = types.ModuleType("micropip")
    fake.calls = []
    fake.refuse = None
    fake.__version__ = "0.11.1"

    async def install(requirements: list[str], **options: Any) -> None:
        fake.calls.append(("install", requirements, options))
        if fake.refuse is not None:
            raise fake.refuse

    fake.install = install
    fake.uninstall = lambda names: fake.calls.append(("uninstall", names))
    fake.list = lambda: {"rich": Package("15.0.0"), "mdurl": Package("0.1.2")}
    monkeypatch.setitem(sys.modules, "micropip", fake)
    return fake


def test_installs_ask_the_wheelhouse_first_and_replace_what_is_there(micropip: Any) -> None:
    installer = MicropipInstaller([WHEELHOUSE])
    run(installer.install(["rich==15.0.0", "click"], deps=False, pre=True))
    assert micropip.calls == [
        (
            "install",
            ["rich==15.0.0", "click"],
            {
                "deps": False,
                "pre": True,
                "reinstall": True,
                "index_urls": ["http://ide.test/assets/wheels/simple", PYPI],
            },
        )
    ]


def test_offline_the_wheelhouse_is_the_only_index(micropip: Any) -> None:
    run(MicropipInstaller([WHEELHOUSE, "http://mirror.test/simple"], online=False).install(["x"]))
    options = micropip.calls[0][2]
    assert options["index_urls"] == [
        "http://ide.test/assets/wheels/simple",
        "http://mirror.test/simple",
    ]
    assert (options["deps"], options["pre"]) == (True, False)


@pytest.mark.parametrize(
    ("given", "asked"),
    [
        ("/project/dist/pkg-1.0-py3-none-any.whl", "emfs:/project/dist/pkg-1.0-py3-none-any.whl"),
        ("dist/pkg-1.0-py3-none-any.whl", "dist/pkg-1.0-py3-none-any.whl"),  # not absolute
        ("/project/requirements.txt", "/project/requirements.txt"),  # not a wheel
        ("https://x.test/p-1-py3-none-any.whl", "https://x.test/p-1-py3-none-any.whl"),
    ],
)
def test_a_local_wheel_is_read_from_the_workers_file_system(
    micropip: Any, given: str, asked: str
) -> None:
    run(MicropipInstaller([WHEELHOUSE]).install([given]))
    assert micropip.calls[0][1] == [asked]


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            ValueError("Can't fetch metadata for 'nopkg'. Please make sure you have entered..."),
            "No matching distribution found for nopkg: it is not in the wheelhouse, and PyPI "
            "has no such package or cannot be reached",
        ),
        (
            ValueError("Can't find a pure Python 3 wheel for: 'numpy'\nSee: https://..."),
            "No pure-Python wheel for numpy: packages with compiled code cannot be installed here",
        ),
        (
            ValueError("Can't find a pure Python 3 wheel for"),
            "No pure-Python wheel for the package: packages with compiled code cannot be "
            "installed here",
        ),
        (OSError("Failed to fetch\nat line 3"), "Failed to fetch"),
        (RuntimeError("   "), "installation failed"),
        (TypeError(""), "installation failed"),
    ],
)
def test_refusals_become_one_line_saying_why(micropip: Any, error: Exception, said: str) -> None:
    micropip.refuse = error
    with pytest.raises(InstallError) as caught:
        run(MicropipInstaller([WHEELHOUSE]).install(["x"]))
    assert str(caught.value) == said
    assert "\n" not in str(caught.value)


def test_other_failures_are_not_dressed_up_as_refusals(micropip: Any) -> None:
    micropip.refuse = KeyError("a bug in micropip")
    with pytest.raises(KeyError):
        run(MicropipInstaller([WHEELHOUSE]).install(["x"]))


def test_uninstall_list_and_version_are_micropips(micropip: Any) -> None:
    installer = MicropipInstaller([WHEELHOUSE])
    installer.uninstall(["rich", "mdurl"])
    assert micropip.calls == [("uninstall", ["rich", "mdurl"])]
    assert installer.installed() == {"rich": "15.0.0", "mdurl": "0.1.2"}
    assert installer.version() == "0.11.1"
    del micropip.__version__
    assert installer.version() == "unknown"


def test_explain_keeps_a_first_line_it_does_not_know() -> None:
    assert explain("\n  Something new went wrong\nmore detail\n") == "Something new went wrong"
