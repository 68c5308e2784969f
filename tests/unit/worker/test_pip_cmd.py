"""`pip` in the shell with a micropip-like fake: arguments, messages and statuses as pip
gives them; micropip's errors turned into one line."""

from __future__ import annotations

from client.worker.micropip_installer import MicropipInstaller, explain
from client.worker.requirements import RequirementsError, read_requirements

from .conftest import Terminal


def test_install_collects_and_reports_like_pip(term: Terminal) -> None:
    result = term("pip install rich")
    assert (result.status, result.err) == (0, "")
    assert result.out == (
        "Collecting rich\nInstalling collected packages: markdown-it-py, mdurl, pygments, rich\n"
        "Successfully installed markdown-it-py-4.3.0 mdurl-0.1.2 pygments-2.21.0 rich-15.0.0\n"
    )
    again = term("pip install rich Click")
    assert again.out == (
        "Collecting rich\nCollecting Click\n"
        "Requirement already satisfied: rich (15.0.0)\n"
        "Installing collected packages: click\n"
        "Successfully installed click-8.5.1\n"
    )


def test_what_is_installed_as_asked_skips_the_installer(term: Terminal) -> None:
    term("pip install click")
    calls = len(term.installer.calls)
    result = term("pip install click click==8.5.1")
    assert result.out.endswith("Requirement already satisfied: click==8.5.1 (8.5.1)\n")
    assert len(term.installer.calls) == calls
    term("pip install 'click>=8'")  # a range: micropip decides
    assert len(term.installer.calls) == calls + 1


def test_a_pinned_version_replaces_the_installed_one(term: Terminal) -> None:
    term("pip install attrs")
    assert term("pip install attrs==25.0.0 -q").out == ""
    assert term.installer.packages["attrs"] == "25.0.0"


def test_a_local_wheel_is_passed_as_an_absolute_path(term: Terminal) -> None:
    term.write("dist/demo-1.0-py3-none-any.whl", "zip bytes")
    term("cd dist")
    shown = term("pip install demo-1.0-py3-none-any.whl rich").out
    assert shown.startswith(f"Processing {term.root / 'dist/demo-1.0-py3-none-any.whl'}\n")
    assert term.installer.calls[-1][0] == [
        str(term.root / "dist/demo-1.0-py3-none-any.whl"),
        "rich",
    ]
    missing = term("pip install gone-1.0-py3-none-any.whl")
    assert (missing.status, missing.err) == (
        1,
        "ERROR: gone-1.0-py3-none-any.whl: no such wheel file\n",
    )


def test_options_reach_the_installer(term: Terminal) -> None:
    term("pip install --no-deps --pre rich")
    assert term.installer.calls[-1] == (["rich"], False, True)
    assert "markdown-it-py" not in term.installer.packages


def test_a_package_that_cannot_be_had_is_one_line_and_status_1(term: Terminal) -> None:
    missing = term("pip install rich nothing-like-this")
    assert missing.status == 1
    assert missing.err == (
        "ERROR: No matching distribution found for nothing-like-this: it "
        "is not in the wheelhouse, and no package mirror is configured\n"
    )
    compiled = term("pip install numpy")
    assert compiled.err == (
        "ERROR: No pure-Python wheel for numpy: no wheel for this Python in "
        "the browser (the package needs a compiled extension)\n"
    )
    assert term("pip install").status == 1


def test_install_from_requirements_files(term: Terminal) -> None:
    term.write(
        "requirements.txt",
        "# tools\nclick==8.5.1  # cli\n-r more/base.txt\n\nattrs --hash=sha256:00\n--pre\n",
    )
    term.write("more/base.txt", "mdurl\n")
    result = term("pip install -r requirements.txt")
    assert result.status == 0, result.err
    assert term.installer.calls[-1][0] == ["click==8.5.1", "mdurl", "attrs"]
    absent = term("pip install -r nope.txt")
    assert absent.status == 1
    assert absent.err == (
        "ERROR: Could not open requirements file: No such file or "
        f"directory: {str(term.root / 'nope.txt')!r}\n"
    )


def test_requirements_refuse_what_micropip_cannot_honour(tmp_path) -> None:  # noqa: ANN001
    (tmp_path / "r.txt").write_text("-e .\n")
    try:
        read_requirements(str(tmp_path / "r.txt"))
    except RequirementsError as error:
        assert "r.txt:1: `-e .` is not supported here" in str(error)
    else:
        raise AssertionError("an editable install was accepted")
    (tmp_path / "loop.txt").write_text("-r loop.txt\nrich\n")
    assert read_requirements(str(tmp_path / "loop.txt")) == ["rich"]


def test_uninstall_asks_unless_yes(term: Terminal) -> None:
    term("pip install click attrs")
    result = term("pip uninstall -y click nothing")
    assert result.status == 0
    assert result.out == (
        "Found existing installation: click 8.5.1\nUninstalling "
        "click-8.5.1:\n  Successfully uninstalled click-8.5.1\n"
    )
    assert result.err == "WARNING: Skipping nothing as it is not installed.\n"
    term.typed = ["n\n"]
    refused = term("pip uninstall attrs")
    assert refused.status == 1 and "attrs" in term.installer.packages
    assert refused.out.endswith("Proceed (Y/n)? ")
    term.typed = ["y\n"]
    assert term("pip uninstall attrs").status == 0 and "attrs" not in term.installer.packages


def test_list_and_freeze(term: Terminal) -> None:
    term("pip install click")
    assert term("pip list").out == (
        "Package  Version\n-------- -------\nclick    8.5.1\nmicropip 0.11.1\n"
    )
    assert term("pip freeze").out == "click==8.5.1\nmicropip==0.11.1\n"
    assert term("pip list --format=freeze").out == term("pip freeze").out
    assert term("pip list --format=json").status == 2


def test_show_reads_installed_metadata(term: Terminal) -> None:
    result = term("pip show pytest")
    assert result.status == 0
    lines = result.out.splitlines()
    assert lines[0] == "Name: pytest" and lines[1].startswith("Version: ")
    requires = next(line for line in lines if line.startswith("Requires: "))
    assert "pluggy" in requires and "iniconfig" in requires
    missing = term("pip show pytest no-such-dist")
    assert missing.status == 1 and missing.err == "WARNING: Package(s) not found: no-such-dist\n"


def test_version_help_and_mistakes(term: Terminal) -> None:
    assert term("pip --version").out.startswith("pip (micropip 0.11.1) (python 3.")
    assert term("pip").out.startswith("Usage:\n  pip <command> [options]")
    assert term("pip help").out == term("pip --help").out
    assert "pip install [-r FILE]" in term("pip help install").out
    unknown = term("pip frobnicate")
    assert (unknown.status, unknown.err) == (1, 'ERROR: unknown command "frobnicate"\n')
    bad = term("pip install --frob x")
    assert bad.status == 2 and bad.err.endswith("no such option: --frob\n")
    term.host.installer = None
    assert term("pip list").err == "ERROR: no package installer in this runtime\n"


def test_commands_are_registered(term: Terminal) -> None:
    assert term("which python python3 pip").status == 0
    assert "pip" in term("help").out


def test_micropip_installer_indexes_and_messages() -> None:
    assert MicropipInstaller("http://host/w/simple/").index_urls == ["http://host/w/simple"]
    assert MicropipInstaller("http://host/w/simple", "http://host/m/simple/").index_urls == [
        "http://host/w/simple",
        "http://host/m/simple",
    ]
    assert explain("Requested 'x', but x==1 is already installed. If you...\nmore") == (
        "Requested 'x', but x==1 is already installed. If you..."
    )
    assert explain("Can't find a pure Python 3 wheel for: 'a', 'b'\nSee: x\n").startswith(
        "No pure-Python wheel for a, b: "
    )
