"""How Chromium is launched here: Debian's binary, and no request may leave this machine."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.support.paths import CHROMIUM

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Any host but ours fails to resolve, so a stray request fails loudly.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def launch_args() -> dict[str, object]:
    return {"executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS)}


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


def off_machine(urls: list[str]) -> list[str]:
    return [url for url in urls if not is_local(url)]
