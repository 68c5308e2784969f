"""Settings from the environment (server/settings.py): every variable lands in its field, the
command line's values win, and a value the server cannot use is a SettingsError that names
the variable, never a ValueError from deep inside (which the CLI shows as a traceback)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from server.app import app_from_env
from server.environment import optional_number, whole_number
from server.settings import (
    DEFAULT_POOL_MAX,
    DEFAULT_PORT,
    PROJECT_ROOT,
    Settings,
    SettingsError,
    name_list,
    normal_host,
    origin_list,
)
from server.static import DistMissing


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No COSPAI_* or DATABASE_URL of the machine running the tests leaks in."""
    for name in list(os.environ):
        if name.startswith("COSPAI_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)


def test_defaults_without_any_environment() -> None:
    settings = Settings.from_env()
    assert settings == Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", DEFAULT_PORT)
    assert settings.data_dir == PROJECT_ROOT / ".cospai-data"
    assert settings.dist_dir == PROJECT_ROOT / "dist"
    assert settings.database_url is None  # the embedded PostgreSQL
    assert (settings.pool_min, settings.pool_max) == (1, DEFAULT_POOL_MAX)
    assert (settings.sandbox_port, settings.share_port) == (None, None)
    assert (settings.sandbox_port_or_default, settings.share_port_or_default) == (8001, 8002)
    assert settings.webcontainer_api_key is None
    assert settings.webcontainer_boot_timeout_ms == 20_000
    assert settings.signups_per_hour == 30
    for empty in (
        settings.allowed_origins,
        settings.embed_origins,
        settings.allowed_hosts,
        settings.forwarded_allow_ips,
    ):
        assert empty == ()


ENVIRONMENT = {
    "COSPAI_HOST": "0.0.0.0",  # noqa: S104 (a value read, not bound)
    "COSPAI_PORT": "9000",
    "COSPAI_DATA_DIR": "/srv/cospai/data",
    "COSPAI_DIST_DIR": "/srv/cospai/dist",
    "DATABASE_URL": "postgresql://ide@db.internal/cospai",
    "COSPAI_POOL_MAX": "25",
    "COSPAI_SANDBOX_PORT": "9100",
    "COSPAI_SANDBOX_HOST": "{project}.sandbox.example.com",
    "COSPAI_WEBCONTAINER_API_KEY": "wc_api_key",
    "COSPAI_WEBCONTAINER_TIMEOUT_MS": "45000",
    "COSPAI_SHARE_PORT": "9200",
    "COSPAI_SHARE_HOST": "share.example.com",
    "COSPAI_EMBED_ORIGINS": "https://blog.example/, https://docs.example",
    "COSPAI_ALLOWED_ORIGINS": " https://admin.example/ ,,",
    "COSPAI_SIGNUPS_PER_HOUR": "0",
    "COSPAI_ALLOWED_HOSTS": "ide.example.com, *.ide.example.com",
    "COSPAI_FORWARDED_ALLOW_IPS": "10.0.0.0/8",
}


def test_every_variable_lands_in_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    assert settings == Settings(
        host="0.0.0.0",  # noqa: S104
        port=9000,
        data_dir=Path("/srv/cospai/data"),
        dist_dir=Path("/srv/cospai/dist"),
        database_url="postgresql://ide@db.internal/cospai",
        pool_max=25,
        sandbox_port=9100,
        sandbox_host="{project}.sandbox.example.com",
        webcontainer_api_key="wc_api_key",
        webcontainer_boot_timeout_ms=45_000,
        share_port=9200,
        share_host="share.example.com",
        embed_origins=("https://blog.example", "https://docs.example"),
        allowed_origins=("https://admin.example",),
        signups_per_hour=0,
        allowed_hosts=("ide.example.com", "*.ide.example.com"),
        forwarded_allow_ips=("10.0.0.0/8",),
    )


def test_the_command_line_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env(
        host="127.0.0.1",
        port=0,  # falsy, and still an override: 0 means any free port
        data_dir=Path("/srv/elsewhere"),
        sandbox_port=0,
        share_host="127.0.0.1",
        embed_origins=(),
        signups_per_hour=3,
    )
    assert (settings.host, settings.port, settings.data_dir) == (
        "127.0.0.1",
        0,
        Path("/srv/elsewhere"),
    )
    assert (settings.sandbox_port, settings.share_host) == (0, "127.0.0.1")
    assert settings.embed_origins == ()  # an empty list given is a list given
    assert settings.signups_per_hour == 3
    # What was not given still comes from the environment.
    assert settings.share_port == 9200
    assert settings.database_url == "postgresql://ide@db.internal/cospai"


@pytest.mark.parametrize(
    "name", ["DATABASE_URL", "COSPAI_SANDBOX_HOST", "COSPAI_SHARE_HOST", "COSPAI_SANDBOX_PORT"]
)
def test_an_empty_variable_is_an_unset_one(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, "")
    assert Settings.from_env() == Settings()


NUMBERS = [
    "COSPAI_PORT",
    "COSPAI_POOL_MAX",
    "COSPAI_SANDBOX_PORT",
    "COSPAI_SHARE_PORT",
    "COSPAI_WEBCONTAINER_TIMEOUT_MS",
    "COSPAI_SIGNUPS_PER_HOUR",
]


@pytest.mark.parametrize("name", NUMBERS)
@pytest.mark.parametrize("raw", ["abc", "80.5", "1e3", "-1", "0x50", "٣", "8 0", "9" * 12])
def test_a_malformed_number_names_its_variable(
    name: str, raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, raw)
    with pytest.raises(SettingsError) as caught:
        Settings.from_env()
    assert str(caught.value).startswith(f"{name} must be a whole number, not ")


def test_a_long_malformed_value_is_cut_in_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSPAI_PORT", "x" * 10_000)
    with pytest.raises(SettingsError) as caught:
        Settings.from_env()
    assert len(str(caught.value)) < 100


def test_numbers_may_have_spaces_around_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSPAI_PORT", " 8080 ")
    monkeypatch.setenv("COSPAI_SHARE_PORT", "\t8090\n")
    settings = Settings.from_env()
    assert (settings.port, settings.share_port, settings.sandbox_port_or_default) == (
        8080,
        8090,
        8081,
    )


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"port": 65536}, "the port (--port, COSPAI_PORT) must be 0 to 65535"),
        ({"port": -1}, "not -1"),
        ({"sandbox_port": 70000}, "the sandbox port"),
        ({"share_port": -8}, "the share port"),
        # Unset, the sandbox and share ports follow the IDE's, past the last port.
        ({"port": 65535}, "default: the port + 1"),
        ({"port": 65534, "sandbox_port": 9000}, "default: the port + 2"),
        ({"pool_max": 0}, "COSPAI_POOL_MAX must be at least 1, not 0"),
        ({"pool_min": 4, "pool_max": 2}, "at least 4"),
    ],
)
def test_values_no_server_can_use_are_refused(fields: dict[str, int], words: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings(**fields)  # type: ignore[arg-type]
    assert words in str(caught.value)


def test_the_edges_of_the_port_range_are_fine() -> None:
    assert Settings(port=0).sandbox_port_or_default == 0  # any free port, for each
    assert Settings(port=0).share_port_or_default == 0
    assert Settings(port=65533).share_port_or_default == 65535
    assert Settings(port=65535, sandbox_port=1, share_port=2).port == 65535


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ()),
        (" , ,", ()),
        ("https://a.example/", ("https://a.example",)),
        (
            "https://a.example//, http://b.example:8080",
            ("https://a.example", "http://b.example:8080"),
        ),
    ],
)
def test_origin_lists(raw: str, expected: tuple[str, ...]) -> None:
    assert origin_list(raw) == expected


def test_name_lists_and_normal_host_names() -> None:
    assert name_list(" a.example ,b.example,, ") == ("a.example", "b.example")
    assert name_list("") == ()
    assert normal_host(" [::1] ") == "::1"
    assert normal_host("IDE.Example.COM.") == "ide.example.com"
    assert normal_host("*.Example.com") == "*.example.com"


def test_whole_numbers_read_from_any_mapping() -> None:
    assert whole_number({}, "N", 7) == 7
    assert whole_number({"N": ""}, "N", 7) == 7
    assert whole_number({"N": "0"}, "N", 7) == 0
    assert whole_number({"N": "123456789"}, "N", 7) == 123_456_789
    with pytest.raises(SettingsError, match="N must be a whole number"):
        whole_number({"N": "1234567890"}, "N", 7)  # ten digits: no setting is that large
    assert optional_number({}, "N") is None
    assert optional_number({"N": "  "}, "N") is None
    assert optional_number({"N": "0"}, "N") == 0


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.2", {"127.0.0.2", "127.0.0.1", "localhost", "::1"}),
        ("", {"127.0.0.1", "localhost", "::1"}),
        ("[::1]", {"127.0.0.1", "localhost", "::1"}),
        ("IDE.Example.com.", {"ide.example.com"}),
    ],
)
def test_default_host_names_for_less_usual_addresses(host: str, expected: set[str]) -> None:
    assert Settings(host=host).allowed_hosts_or_default == expected


def test_configured_host_names_are_compared_normalised() -> None:
    settings = Settings(host="0.0.0.0", allowed_hosts=("IDE.example.com.", "[::1]"))  # noqa: S104
    assert settings.allowed_hosts_or_default == {"ide.example.com", "::1"}


def test_a_worker_process_needs_a_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(RuntimeError, match="needs DATABASE_URL"):
        app_from_env()
    monkeypatch.setenv("COSPAI_DIST_DIR", "/nonexistent/dist")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1:1/x")
    with pytest.raises(DistMissing, match="/nonexistent/dist has no build"):
        app_from_env()  # a worker reads the same dist/ its parent checked
