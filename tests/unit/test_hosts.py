"""Allowed hosts and trusted proxies: defaults, parsing, and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.hosts import hostname, origin_hostname
from server.settings import Settings, SettingsError
from tests.support.cli import run_cli


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", {"127.0.0.1", "localhost", "::1"}),
        ("localhost", {"127.0.0.1", "localhost", "::1"}),
        ("::1", {"127.0.0.1", "localhost", "::1"}),
        ("0.0.0.0", {"127.0.0.1", "localhost", "::1"}),  # noqa: S104
        ("::", {"127.0.0.1", "localhost", "::1"}),
        ("ide.example.com", {"ide.example.com"}),
        ("192.168.1.5", {"192.168.1.5"}),
    ],
)
def test_default_allowed_hosts_are_the_names_started_for(host: str, expected: set[str]) -> None:
    assert Settings(host=host).allowed_hosts_or_default == expected


def test_configured_hosts_and_proxies_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COSPAI_ALLOWED_HOSTS", " IDE.example.com., [::1] ,,")
    monkeypatch.setenv("COSPAI_FORWARDED_ALLOW_IPS", "10.0.0.1, 192.168.0.0/16")
    monkeypatch.setenv("COSPAI_SIGNUPS_PER_HOUR", "5")
    settings = Settings.from_env()
    assert settings.allowed_hosts_or_default == {"ide.example.com", "::1"}
    assert settings.forwarded_allow_ips == ("10.0.0.1", "192.168.0.0/16")
    assert settings.signups_per_hour == 5
    assert Settings.from_env(allowed_hosts=("a.example",)).allowed_hosts == ("a.example",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a.example:8000", "a.example"),
        ("[::1]:80", "::1"),
        ("LOCALHOST.", "localhost"),
        ("", None),
        ("evil@a.example", None),
        ("a.example/x", None),
        ("a:99999", None),
        ("[::1", None),
        ("a.example:port", None),
    ],
)
def test_host_headers_are_read_strictly(raw: str, expected: str | None) -> None:
    assert hostname(raw) == expected


def test_origins_name_a_web_host_or_nothing() -> None:
    assert origin_hostname("https://IDE.example.com:8443") == "ide.example.com"
    for bad in ("null", "file://", "javascript:alert(1)", "http://", "http://a:x"):
        assert origin_hostname(bad) is None, bad


def test_serve_help_names_the_new_options() -> None:
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    for text in (
        "--allowed-hosts",
        "--forwarded-allow-ips",
        "COSPAI_ALLOWED_HOSTS",
        "COSPAI_FORWARDED_ALLOW_IPS",
        "COSPAI_SIGNUPS_PER_HOUR",
    ):
        assert text in result.stdout, text


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"allowed_hosts": ("ide.example.com:443",)}, "'ide.example.com:443' is not a host name"),
        ({"allowed_hosts": ("https://ide.example.com",)}, "without scheme or port"),
        ({"allowed_hosts": ("a b", "ok.example")}, "'a b' is not a host name"),
        ({"allowed_hosts": ("a/b",)}, "is not a host name"),
        ({"allowed_hosts": ("*evil",)}, "is not a host name"),
        ({"forwarded_allow_ips": ("proxy.local",)}, "'proxy.local' is not an IP address"),
        ({"forwarded_allow_ips": ("10.0.0.1/99",)}, "not an IP address or network"),
        ({"signups_per_hour": -1}, "0 or more"),
    ],
)
def test_hostile_settings_are_refused_with_what_to_write(settings: dict, words: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings(**settings)
    assert words in str(caught.value)


@pytest.mark.parametrize("raw", ["abc", "-5", "1e3", "9" * 50, " 3 4"])
def test_a_bad_sign_up_limit_is_named(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSPAI_SIGNUPS_PER_HOUR", raw)
    with pytest.raises(SettingsError, match="COSPAI_SIGNUPS_PER_HOUR must be a whole number"):
        Settings.from_env()


def test_the_command_line_refuses_them_in_one_line(tmp_path: Path) -> None:
    for args in (
        ["--allowed-hosts", "http://ide.example.com"],
        ["--forwarded-allow-ips", "my-proxy"],
    ):
        result = run_cli("serve", "--data-dir", str(tmp_path), *args)
        assert result.returncode == 2, result
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("cospai: error: "), result.stderr
        assert "Traceback" not in result.stderr
