"""Server settings: one frozen object built from the command line and the environment."""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict, TypeVar, Unpack

from server.environment import SettingsError as SettingsError
from server.environment import optional_number, whole_number
from server.mirror.config import MirrorSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_POOL_MIN = 1
DEFAULT_POOL_MAX = 10
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_PORT = 65535
WILDCARD_ADDRESSES = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (compared, not bound)


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to start. `database_url` None means: embedded PostgreSQL."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    data_dir: Path = PROJECT_ROOT / ".cospai-data"
    dist_dir: Path = PROJECT_ROOT / "dist"
    database_url: str | None = None
    pool_min: int = DEFAULT_POOL_MIN
    pool_max: int = DEFAULT_POOL_MAX
    # Other origins allowed to make state-changing requests (e.g. a separate front end).
    allowed_origins: tuple[str, ...] = ()
    # The sandbox origin (server/sandbox_site.py), where user code runs: its own port, None =
    # the IDE's port + 1 (0 when the IDE's is 0: any free one). The host name the browser
    # uses for it, `{project}` standing for a project's key: None = `{project}.localhost`
    # (a site per project) for an IDE on a loopback address; production sets a wildcard
    # name, or a whole origin ("https://{project}.sandbox.example").
    sandbox_port: int | None = None
    sandbox_host: str | None = None
    # The WebContainer engine (client/adapters/webcontainer_engine.py): StackBlitz's API key
    # for commercial use (handed to the browser, which passes it to configureAPIKey), and
    # how long the browser waits for boot() before it says the service is unreachable.
    webcontainer_api_key: str | None = None
    webcontainer_boot_timeout_ms: int = 20_000
    # The share origin (server/share_site.py), for published share links: the same rules,
    # None = the IDE's port + 2. Another site than the IDE's by default (localhost <-> 127.0.0.1).
    share_port: int | None = None
    share_host: str | None = None
    # Host pages allowed to embed /embed and drive it by postMessage ((): any page may
    # frame it, and the embed's own `origins=` parameter names who may drive it).
    embed_origins: tuple[str, ...] = ()
    # Sign-ups one address may make in an hour before each further one waits 2^n s (as
    # failed sign-ins do; server/auth.py). Every sign-up costs a 64 MiB password hash.
    signups_per_hour: int = 30
    # Host names the IDE answers to (server/hosts.py); () = the names it was started for:
    # --host, and the loopback names when that is a loopback or wildcard address. "*" = any.
    allowed_hosts: tuple[str, ...] = ()
    # Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed (uvicorn's
    # proxy-headers support): the client's address for rate limits, https for Secure
    # cookies. () = none: the peer's own address and scheme.
    forwarded_allow_ips: tuple[str, ...] = ()
    # The package mirror (server/mirror/): its upstreams, size limits, metadata freshness
    # and per-address request limit.
    mirror: MirrorSettings = field(default_factory=MirrorSettings)

    def __post_init__(self) -> None:
        check_settings(self)

    @property
    def allowed_hosts_or_default(self) -> frozenset[str]:
        if self.allowed_hosts:
            return frozenset(normal_host(h) for h in self.allowed_hosts)
        host = normal_host(self.host)
        names = set() if host in WILDCARD_ADDRESSES else {host}
        if host in WILDCARD_ADDRESSES or host in LOOPBACK_NAMES or host.startswith("127."):
            names |= LOOPBACK_NAMES
        return frozenset(names)

    @property
    def sandbox_port_or_default(self) -> int:
        if self.sandbox_port is not None:
            return self.sandbox_port
        return self.port + 1 if self.port else 0

    @property
    def share_port_or_default(self) -> int:
        if self.share_port is not None:
            return self.share_port
        return self.port + 2 if self.port else 0

    @classmethod
    def from_env(cls, **overrides: Unpack[Overrides]) -> Settings:
        """Environment first (COSPAI_*, DATABASE_URL), then explicit overrides win."""
        env = os.environ
        mirror = overrides.get("mirror") or MirrorSettings.from_env(env)
        # Every environment value is read (and refused if malformed) before any override.
        return cls(
            host=_first(overrides.get("host"), env.get("COSPAI_HOST", DEFAULT_HOST)),
            port=_first(overrides.get("port"), whole_number(env, "COSPAI_PORT", DEFAULT_PORT)),
            data_dir=_first(
                overrides.get("data_dir"),
                Path(env.get("COSPAI_DATA_DIR", PROJECT_ROOT / ".cospai-data")),
            ),
            dist_dir=_first(
                overrides.get("dist_dir"), Path(env.get("COSPAI_DIST_DIR", PROJECT_ROOT / "dist"))
            ),
            database_url=_first(overrides.get("database_url"), env.get("DATABASE_URL") or None),
            pool_min=_first(overrides.get("pool_min"), DEFAULT_POOL_MIN),
            pool_max=_first(
                overrides.get("pool_max"), whole_number(env, "COSPAI_POOL_MAX", DEFAULT_POOL_MAX)
            ),
            sandbox_port=_first(
                overrides.get("sandbox_port"), optional_number(env, "COSPAI_SANDBOX_PORT")
            ),
            sandbox_host=_first(
                overrides.get("sandbox_host"), env.get("COSPAI_SANDBOX_HOST") or None
            ),
            webcontainer_api_key=_first(
                overrides.get("webcontainer_api_key"),
                env.get("COSPAI_WEBCONTAINER_API_KEY") or None,
            ),
            webcontainer_boot_timeout_ms=_first(
                overrides.get("webcontainer_boot_timeout_ms"),
                whole_number(env, "COSPAI_WEBCONTAINER_TIMEOUT_MS", 20_000),
            ),
            share_port=_first(
                overrides.get("share_port"), optional_number(env, "COSPAI_SHARE_PORT")
            ),
            share_host=_first(overrides.get("share_host"), env.get("COSPAI_SHARE_HOST") or None),
            embed_origins=_first(
                overrides.get("embed_origins"), origin_list(env.get("COSPAI_EMBED_ORIGINS", ""))
            ),
            allowed_origins=_first(
                overrides.get("allowed_origins"),
                tuple(
                    o.strip().rstrip("/")
                    for o in env.get("COSPAI_ALLOWED_ORIGINS", "").split(",")
                    if o.strip()
                ),
            ),
            signups_per_hour=_first(
                overrides.get("signups_per_hour"), whole_number(env, "COSPAI_SIGNUPS_PER_HOUR", 30)
            ),
            allowed_hosts=_first(
                overrides.get("allowed_hosts"), name_list(env.get("COSPAI_ALLOWED_HOSTS", ""))
            ),
            forwarded_allow_ips=_first(
                overrides.get("forwarded_allow_ips"),
                name_list(env.get("COSPAI_FORWARDED_ALLOW_IPS", "")),
            ),
            mirror=mirror,
        )


_T = TypeVar("_T")


class Overrides(TypedDict, total=False):
    """Settings.from_env's keywords: any field; None stands for "not given"."""

    host: str | None
    port: int | None
    data_dir: Path | None
    dist_dir: Path | None
    database_url: str | None
    pool_min: int | None
    pool_max: int | None
    allowed_origins: tuple[str, ...] | None
    sandbox_port: int | None
    sandbox_host: str | None
    webcontainer_api_key: str | None
    webcontainer_boot_timeout_ms: int | None
    share_port: int | None
    share_host: str | None
    embed_origins: tuple[str, ...] | None
    signups_per_hour: int | None
    allowed_hosts: tuple[str, ...] | None
    forwarded_allow_ips: tuple[str, ...] | None
    mirror: MirrorSettings | None


def _first(override: _T | None, from_env: _T) -> _T:
    return from_env if override is None else override


def origin_list(raw: str) -> tuple[str, ...]:
    """'https://a.example, https://b.example/' -> ('https://a.example', 'https://b.example')."""
    return tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())


def name_list(raw: str) -> tuple[str, ...]:
    """'a.example, b.example' -> ('a.example', 'b.example')."""
    return tuple(n.strip() for n in raw.split(",") if n.strip())


def normal_host(name: str) -> str:
    """A host name as compared: lower case, no IPv6 brackets, no trailing dot."""
    return name.strip().lower().removeprefix("[").removesuffix("]").rstrip(".")


_HOST_NAME = re.compile(r"(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*")


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def check_settings(settings: Settings) -> None:
    for name in settings.allowed_hosts:
        host = normal_host(name)
        if host != "*" and not _HOST_NAME.fullmatch(host) and not _is_address(host):
            raise SettingsError(
                f"allowed hosts: {name[:80]!r} is not a host name; write the "
                "name alone, without scheme or port (e.g. ide.example.com)"
            )
    for item in settings.forwarded_allow_ips:
        try:
            if item != "*":
                ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise SettingsError(
                f"forwarded-allow-ips: {item[:80]!r} is not an IP address or "
                "network (e.g. 10.0.0.1 or 10.0.0.0/8), nor '*'"
            ) from None
    if settings.signups_per_hour < 0:
        raise SettingsError("COSPAI_SIGNUPS_PER_HOUR must be 0 or more")
    ports = {
        "port (--port, COSPAI_PORT)": settings.port,
        # Unset, these two follow the IDE's port: 65535 leaves no room above it.
        "sandbox port (--sandbox-port, COSPAI_SANDBOX_PORT; default: the port + 1)": (
            settings.sandbox_port_or_default
        ),
        "share port (--share-port, COSPAI_SHARE_PORT; default: the port + 2)": (
            settings.share_port_or_default
        ),
    }
    for what, port in ports.items():
        if not 0 <= port <= MAX_PORT:
            raise SettingsError(
                f"the {what} must be 0 to {MAX_PORT} (0: any free port), not {port}"
            )
    if settings.pool_max < max(1, settings.pool_min):
        raise SettingsError(
            f"COSPAI_POOL_MAX must be at least {max(1, settings.pool_min)}, not {settings.pool_max}"
        )
