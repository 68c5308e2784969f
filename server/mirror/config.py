"""The mirror's settings: where its upstreams are and how much it takes, from the command
line and the environment (COSPAI_NPM_UPSTREAM, COSPAI_PYPI_UPSTREAM, COSPAI_MIRROR_*)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from server.environment import SettingsError, whole_number

MB = 1024 * 1024
# An upstream setting: "" = the machine's own configuration (npm's registry, pip's index);
# NONE = no upstream at all (only what is kept or seeded is served); else a URL.
FROM_MACHINE = ""
NONE = "none"


@dataclass(frozen=True)
class MirrorSettings:
    npm_upstream: str = FROM_MACHINE
    pypi_upstream: str = FROM_MACHINE
    max_file_bytes: int = 200 * MB  # one tarball or wheel
    max_metadata_bytes: int = 64 * MB  # one packument or project page, as the upstream sends it
    metadata_ttl_s: int = 300  # metadata younger than this is served without asking upstream
    requests_per_minute: int = 6000  # per client address; 0 = no limit

    def __post_init__(self) -> None:
        for kind in ("npm", "pypi"):
            shown = f"COSPAI_{kind.upper()}_UPSTREAM (--{kind}-upstream)"
            check_upstream(shown, getattr(self, f"{kind}_upstream"))
        if self.max_file_bytes < 1 or self.max_metadata_bytes < 1:
            raise SettingsError("mirror size limits must be at least 1 MB")
        if self.metadata_ttl_s < 0 or self.requests_per_minute < 0:
            raise SettingsError("mirror TTL and request limit must be 0 or more")

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str],
        npm_upstream: str | None = None,
        pypi_upstream: str | None = None,
    ) -> MirrorSettings:
        """The environment, with command-line values (when given) winning."""
        return cls(
            npm_upstream=_upstream(npm_upstream, env.get("COSPAI_NPM_UPSTREAM")),
            pypi_upstream=_upstream(pypi_upstream, env.get("COSPAI_PYPI_UPSTREAM")),
            max_file_bytes=whole_number(env, "COSPAI_MIRROR_MAX_FILE_MB", 200) * MB,
            max_metadata_bytes=whole_number(env, "COSPAI_MIRROR_MAX_METADATA_MB", 64) * MB,
            metadata_ttl_s=whole_number(env, "COSPAI_MIRROR_METADATA_TTL", 300),
            requests_per_minute=whole_number(env, "COSPAI_MIRROR_REQUESTS_PER_MINUTE", 6000),
        )

    def as_env(self) -> dict[str, str]:
        """The same settings as environment variables (for `cospai serve --workers N`)."""
        return {
            "COSPAI_NPM_UPSTREAM": self.npm_upstream,
            "COSPAI_PYPI_UPSTREAM": self.pypi_upstream,
            "COSPAI_MIRROR_MAX_FILE_MB": str(self.max_file_bytes // MB),
            "COSPAI_MIRROR_MAX_METADATA_MB": str(self.max_metadata_bytes // MB),
            "COSPAI_MIRROR_METADATA_TTL": str(self.metadata_ttl_s),
            "COSPAI_MIRROR_REQUESTS_PER_MINUTE": str(self.requests_per_minute),
        }


def _upstream(given: str | None, from_env: str | None) -> str:
    value = given if given is not None else (from_env or FROM_MACHINE)
    value = value.strip()
    return NONE if value.lower() == NONE else value


def check_upstream(name: str, value: str) -> None:
    if value in (FROM_MACHINE, NONE):
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"{name}: {value[:100]!r} is not an http(s) URL; give the registry's or index's "
            "base URL, or 'none' for no upstream"
        )
