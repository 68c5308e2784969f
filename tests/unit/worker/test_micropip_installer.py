"""client/worker/micropip_installer.py over a stand-in micropip: what it is asked (the
wheelhouse first, then the package mirror, never another index; reinstalls, local wheels
from the worker's file system), and each of its refusals said in one line, a missing
package told apart by what the mirror's project page answers."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from client.worker.host import InstallError
from client.worker.micropip_installer import MicropipInstaller, explain, normalize
from tests.support.coroutines import run

WHEELHOUSE = "http://ide.test/assets/wheels/simple/"
MIRROR = "http://ide.test/api/mirror/pypi/simple"


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


def test_installs_ask_the_wheelhouse_then_the_mirror_and_replace_what_is_there(
    micropip: Any,
) -> None:
    installer = MicropipInstaller(WHEELHOUSE, MIRROR + "/")
    run(installer.install(["rich==15.0.0", "click"], deps=False, pre=True))
    assert micropip.calls == [
        (
            "install",
            ["rich==15.0.0", "click"],
            {
                "deps": False,
                "pre": True,
                "reinstall": True,
                "index_urls": ["http://ide.test/assets/wheels/simple", MIRROR],
            },
        )
    ]


def test_with_no_mirror_named_the_wheelhouse_is_the_only_index(micropip: Any) -> None:
    run(MicropipInstaller(WHEELHOUSE, None).install(["x"]))
    run(MicropipInstaller(WHEELHOUSE, "").install(["x"]))
    for call in micropip.calls:
        assert call[2]["index_urls"] == ["http://ide.test/assets/wheels/simple"]
        assert (call[2]["deps"], call[2]["pre"]) == (True, False)


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
    run(MicropipInstaller(WHEELHOUSE).install([given]))
    assert micropip.calls[0][1] == [asked]


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            ValueError("Can't fetch metadata for 'nopkg'. Please make sure you have entered..."),
            "No matching distribution found for nopkg: it is not in the wheelhouse, and no "
            "package mirror is configured",
        ),
        (
            ValueError("Can't find a pure Python 3 wheel for: 'numpy'\nSee: https://..."),
            "No pure-Python wheel for numpy: no wheel for this Python in the browser (the "
            "package needs a compiled extension)",
        ),
        (
            ValueError("Can't find a pure Python 3 wheel for"),
            "No pure-Python wheel for the package: no wheel for this Python in the browser "
            "(the package needs a compiled extension)",
        ),
        (OSError("Failed to fetch\nat line 3"), "Failed to fetch"),
        (RuntimeError("   "), "installation failed"),
        (TypeError(""), "installation failed"),
    ],
)
def test_refusals_become_one_line_saying_why(micropip: Any, error: Exception, said: str) -> None:
    micropip.refuse = error
    with pytest.raises(InstallError) as caught:
        run(MicropipInstaller(WHEELHOUSE).install(["x"]))
    assert str(caught.value) == said
    assert "\n" not in str(caught.value)


def test_other_failures_are_not_dressed_up_as_refusals(micropip: Any) -> None:
    micropip.refuse = KeyError("a bug in micropip")
    with pytest.raises(KeyError):
        run(MicropipInstaller(WHEELHOUSE).install(["x"]))


def test_uninstall_list_and_version_are_micropips(micropip: Any) -> None:
    installer = MicropipInstaller(WHEELHOUSE)
    installer.uninstall(["rich", "mdurl"])
    assert micropip.calls == [("uninstall", ["rich", "mdurl"])]
    assert installer.installed() == {"rich": "15.0.0", "mdurl": "0.1.2"}
    assert installer.version() == "0.11.1"
    del micropip.__version__
    assert installer.version() == "unknown"


def test_explain_keeps_a_first_line_it_does_not_know() -> None:
    assert explain("\n  Something new went wrong\nmore detail\n") == "Something new went wrong"


MISSING = ValueError("Can't fetch metadata for 'No_Such.Pkg'. Please make sure you have...")


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (
            404,
            "No matching distribution found for No_Such.Pkg: no such package (not in the "
            "wheelhouse, and the package mirror's upstream does not know it)",
        ),
        (
            503,
            "Could not fetch No_Such.Pkg: upstream unreachable (the package mirror cannot "
            "reach its upstream and does not keep this package)",
        ),
        (
            0,
            "Could not fetch No_Such.Pkg: the package mirror cannot be reached (offline?), "
            "and this package was not installed here before",
        ),
        (502, "Could not fetch No_Such.Pkg: the package mirror answered HTTP 502"),
    ],
)
def test_a_missing_package_is_told_apart_by_the_mirrors_project_page(
    micropip: Any, status: int, said: str
) -> None:
    asked: list[str] = []

    async def probe(url: str) -> int:
        asked.append(url)
        return status

    micropip.refuse = MISSING
    with pytest.raises(InstallError) as caught:
        run(MicropipInstaller(WHEELHOUSE, MIRROR, probe=probe).install(["No_Such.Pkg"]))
    assert str(caught.value) == said
    assert asked == [f"{MIRROR}/no-such-pkg/"]  # the page's one URL (PEP 503)


def test_other_refusals_do_not_ask_the_mirror(micropip: Any) -> None:
    async def probe(url: str) -> int:
        raise AssertionError("asked the mirror")

    micropip.refuse = ValueError("Can't find a pure Python 3 wheel for: 'numpy'")
    with pytest.raises(InstallError) as caught:
        run(MicropipInstaller(WHEELHOUSE, MIRROR, probe=probe).install(["numpy"]))
    assert "no wheel for this Python in the browser" in str(caught.value)


def test_names_are_normalized_as_pep_503_says() -> None:
    assert normalize("Foo.Bar__baz-Qux") == "foo-bar-baz-qux"
