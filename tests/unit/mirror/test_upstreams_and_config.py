"""Where the upstreams come from: the settings first, else the machine's own npm and pip
configuration (read here from files the test writes, never a real registry's name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.mirror import upstreams
from server.mirror.config import MB, MirrorSettings
from server.settings import Settings, SettingsError
from tests.support.cli import run_cli
from tests.unit.test_cli import assert_one_line_error


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean machine: no npm or pip setting in the environment, home and cwd empty."""
    for name in ("npm_config_registry", "NPM_CONFIG_REGISTRY", "PIP_INDEX_URL", "PIP_NO_INDEX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NPM_CONFIG_USERCONFIG", str(tmp_path / ".npmrc"))
    monkeypatch.setenv("PIP_CONFIG_FILE", str(tmp_path / "pip.conf"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_settings_win(machine: Path) -> None:
    found = upstreams.resolve("npm", "http://registry.test/npm")
    assert found.url == "http://registry.test/npm/"
    assert "COSPAI_NPM_UPSTREAM" in found.origin
    off = upstreams.resolve("pypi", "none")
    assert off.url is None and off.shown == "none (COSPAI_PYPI_UPSTREAM=none)"


def test_npm_registry_from_npmrc(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRY_HOST", "registry.test")
    (machine / ".npmrc").write_text(
        "; a comment\n# another\nfund=false\nregistry = https://${REGISTRY_HOST}/npm/\n"
    )
    found = upstreams.resolve("npm", "")
    assert found.url == "https://registry.test/npm/" and found.origin.endswith(".npmrc")
    monkeypatch.setenv("npm_config_registry", "http://env.test/")
    assert upstreams.resolve("npm", "").url == "http://env.test/"


def test_pip_index_from_config(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (machine / "pip.conf").write_text("[global]\nindex-url = https://index.test/simple\n")
    found = upstreams.resolve("pypi", "")
    assert found.url == "https://index.test/simple/" and found.origin.endswith("pip.conf")
    monkeypatch.setenv("PIP_INDEX_URL", "http://env.test/simple")
    assert upstreams.resolve("pypi", "").url == "http://env.test/simple/"
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    assert upstreams.resolve("pypi", "").url is None


def test_a_file_index_is_no_upstream(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", "file:///srv/simple")
    found = upstreams.resolve("pypi", "")
    assert found.url is None and "not an http(s) URL" in found.origin


def test_mirror_settings_from_env() -> None:
    limits = {"COSPAI_MIRROR_MAX_FILE_MB": "5", "COSPAI_MIRROR_METADATA_TTL": "0"}
    env = {"COSPAI_NPM_UPSTREAM": " NONE ", "COSPAI_PYPI_UPSTREAM": "https://index.test/"}
    env.update(limits)
    settings = MirrorSettings.from_env(env)
    assert settings.npm_upstream == "none"
    assert settings.max_file_bytes == 5 * MB and settings.metadata_ttl_s == 0
    assert MirrorSettings.from_env(env, npm_upstream="http://x.test/").npm_upstream == (
        "http://x.test/"
    )
    assert MirrorSettings.from_env(settings.as_env()) == settings


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("COSPAI_NPM_UPSTREAM", "registry.test", r"not an http\(s\) URL"),
        ("COSPAI_PYPI_UPSTREAM", "ftp://x.test/", r"not an http\(s\) URL"),
        ("COSPAI_MIRROR_MAX_FILE_MB", "lots", "whole number"),
        ("COSPAI_MIRROR_MAX_METADATA_MB", "0", "at least 1 MB"),
    ],
)
def test_bad_mirror_settings(name: str, value: str, says: str) -> None:
    with pytest.raises(SettingsError, match=says):
        MirrorSettings.from_env({name: value})


def test_settings_from_env_say_what_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSPAI_NPM_UPSTREAM", "registry.test")
    with pytest.raises(SettingsError, match="COSPAI_NPM_UPSTREAM"):
        Settings.from_env()


def test_serve_names_a_bad_upstream_in_one_line() -> None:
    result = run_cli("serve", "--npm-upstream", "registry.test")
    assert_one_line_error(result, "COSPAI_NPM_UPSTREAM (--npm-upstream)", "http(s) URL")
    helped = run_cli("serve", "--help")
    text = " ".join(helped.stdout.split())  # argparse wraps lines
    assert "--npm-upstream URL" in text and "--pypi-upstream URL" in text
    assert "npm config get registry" in text and "pip index setting" in text
