"""Where the mirror's upstreams are: a setting (COSPAI_NPM_UPSTREAM, --npm-upstream and the
PyPI pair), or else what the machine's own npm and pip are configured to use. No registry
host is written in this code base: without a setting, npm's `registry` (its environment
variable, an .npmrc, or `npm config get registry`, which includes npm's built-in default)
and pip's `index-url` (PIP_INDEX_URL, a pip.conf, or pip's own default) decide.

Asking npm takes about a second, so a process does it once, when the mirror first needs
an upstream, and remembers the answer."""

from __future__ import annotations

import asyncio
import configparser
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from server.mirror.config import NONE, MirrorSettings

Ecosystem = Literal["npm", "pypi"]
_ENV_NAMES = {"npm": "COSPAI_NPM_UPSTREAM", "pypi": "COSPAI_PYPI_UPSTREAM"}


@dataclass(frozen=True)
class Upstream:
    """An upstream base URL (ending in '/') and where the setting came from, or no URL
    and why there is none."""

    url: str | None
    origin: str

    @property
    def shown(self) -> str:
        return f"{self.url} ({self.origin})" if self.url else f"none ({self.origin})"


def resolve(ecosystem: Ecosystem, setting: str) -> Upstream:
    """The upstream for a setting value (see MirrorSettings): blocking (it may run npm)."""
    flag = _ENV_NAMES[ecosystem]
    if setting == NONE:
        return Upstream(None, f"{flag}=none")
    if setting:
        return Upstream(_base(setting), f"{flag} or --{ecosystem}-upstream")
    found = _npm_registry() if ecosystem == "npm" else _pip_index()
    if found is None:
        tool = "npm" if ecosystem == "npm" else "pip"
        return Upstream(None, f"{tool}'s configuration names none")
    url, origin = found
    if urlsplit(url).scheme not in ("http", "https"):
        return Upstream(None, f"{origin} names {url[:80]!r}, not an http(s) URL")
    return Upstream(_base(url), origin)


def _base(url: str) -> str:
    return url.strip().rstrip("/") + "/"


# --- npm ----------------------------------------------------------------------------------
def _npm_registry() -> tuple[str, str] | None:
    for name in ("npm_config_registry", "NPM_CONFIG_REGISTRY"):
        if os.environ.get(name):
            return os.environ[name], f"${name}"
    for path in _npmrc_files():
        value = read_npmrc(path).get("registry")
        if value:
            return value, str(path)
    return _ask("npm config get registry", ["npm", "config", "get", "registry"])


def _npmrc_files() -> list[Path]:
    user = os.environ.get("NPM_CONFIG_USERCONFIG") or str(Path.home() / ".npmrc")
    return [Path.cwd() / ".npmrc", Path(user)]


def read_npmrc(path: Path) -> dict[str, str]:
    """`key = value` lines, `;` and `#` comments, ${VAR} from the environment (as npm does)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    values = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in ";#" or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = re.sub(r"\$\{(\w+)\}", lambda m: os.environ.get(m[1], ""), value.strip())
        values[key.strip()] = value.strip().strip('"')
    return values


def _ask(label: str, command: list[str]) -> tuple[str, str] | None:
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = done.stdout.strip()
    if done.returncode != 0 or not value or value in ("undefined", "null"):
        return None
    return value, label


# --- pip ----------------------------------------------------------------------------------
def _pip_index() -> tuple[str, str] | None:
    if os.environ.get("PIP_NO_INDEX", "").lower() in ("1", "true", "yes", "on"):
        return None
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"], "$PIP_INDEX_URL"
    for path in _pip_conf_files():
        value = _read_index_url(path)
        if value:
            return value, str(path)
    return _pip_default()


def _pip_conf_files() -> list[Path]:
    """pip's configuration files, the one that wins first (pip reads them the other way)."""
    home = Path.home()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    dirs = os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
    files = [Path(os.environ["PIP_CONFIG_FILE"])] if os.environ.get("PIP_CONFIG_FILE") else []
    files += [Path(sys.prefix) / "pip.conf", config_home / "pip" / "pip.conf"]
    files += [home / ".pip" / "pip.conf", Path("/etc/pip.conf")]
    files += [Path(d) / "pip" / "pip.conf" for d in reversed(dirs.split(":")) if d]
    return files


def _read_index_url(path: Path) -> str | None:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None
    for section in ("install", "download", "global"):
        if parser.has_option(section, "index-url"):
            return parser.get(section, "index-url").strip() or None
    return None


def _pip_default() -> tuple[str, str] | None:
    """The index pip uses when nothing names one: pip's own default, read from pip."""
    try:
        from pip._internal.models.index import PyPI  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return str(PyPI.simple_url), "pip's default index"


class UpstreamResolver:
    """Resolves each ecosystem's upstream once per process, off the event loop."""

    def __init__(self, settings: MirrorSettings) -> None:
        self.settings = settings
        self._found: dict[Ecosystem, Upstream] = {}
        self._lock = asyncio.Lock()

    async def get(self, ecosystem: Ecosystem) -> Upstream:
        if ecosystem in self._found:
            return self._found[ecosystem]
        async with self._lock:
            if ecosystem not in self._found:
                setting = getattr(self.settings, f"{ecosystem}_upstream")
                self._found[ecosystem] = await asyncio.to_thread(resolve, ecosystem, setting)
        return self._found[ecosystem]
