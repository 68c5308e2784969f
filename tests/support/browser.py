"""How Chromium is launched here: Debian's binary, and no request may leave this machine."""

from __future__ import annotations

from typing import TypedDict
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
    # Any host but ours fails to resolve, so a stray request fails loudly. The sandbox
    # origins are <key>.localhost names, which Chromium resolves to the loopback itself.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, "
    "EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


class LaunchArgs(TypedDict, total=False):
    """Playwright's launch keywords this project sets."""

    executable_path: str
    args: list[str]
    ignore_default_args: list[str]


def launch_args() -> LaunchArgs:
    return {"executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS)}


# Playwright turns off Chrome's third-party storage partitioning, and then a cross-site
# service worker registration (the preview origin's) fails ("The user denied permission to
# use Service Worker"). Previews need Chromium as real Chrome runs: Playwright's
# --disable-features list (1.65, chromiumSwitches.ts) re-sent without that one.
PLAYWRIGHT_DISABLED = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
]


def partitioned_launch_args() -> LaunchArgs:
    """launch_args() for a browser in which previews work (storage partitioning on)."""
    kept = [name for name in PLAYWRIGHT_DISABLED if name != "ThirdPartyStoragePartitioning"]
    return {
        "executable_path": CHROMIUM,
        "args": [*CHROMIUM_ARGS, f"--disable-features={','.join(kept)}"],
        "ignore_default_args": [f"--disable-features={','.join(PLAYWRIGHT_DISABLED)}"],
    }


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    host = parts.hostname or ""
    return parts.scheme in {"http", "https", "ws", "wss"} and (
        host in LOCAL_HOSTS or host.endswith(".localhost")
    )


def off_machine(urls: list[str]) -> list[str]:
    return [url for url in urls if not is_local(url)]
