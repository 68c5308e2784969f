"""The page's boot loader (`window.cospaiBoot` in index.html), seen from Python."""

import sys

import js
from pyodide.ffi import jsnull


def mark_step(step: str) -> None:
    """Record a finished boot step as performance.mark("cospai:<step>")."""
    js.cospaiBoot.mark(step)


def boot_ready() -> None:
    js.cospaiBoot.ready()


def boot_failed(step: str, message: str) -> None:
    js.cospaiBoot.fail(step, message)


def set_status(text: str) -> None:
    node = js.document.getElementById("status-text")
    if node is not None and node is not jsnull:
        node.textContent = text


def log_error(text: str) -> None:
    """A line in the browser's console, as an error."""
    js.console.error(text)


def build_id() -> str:
    meta = js.document.querySelector('meta[name="cospai-build"]')
    return str(meta.content) if meta is not None and meta is not jsnull else "unknown"


def runtime_description() -> str:
    """Say which Python runs the IDE, e.g. 'Python 3.14.2 on Pyodide 314.0.7'."""
    import pyodide

    version = ".".join(str(part) for part in sys.version_info[:3])
    return f"Python {version} on Pyodide {pyodide.__version__}"


def path() -> str:
    """The app's own path, under whatever sub-path the site is served (see dom)."""
    from client.ffi import dom

    return dom.location_path()


def static_only() -> bool:
    """Built with `build.py --static-only`: no server, projects live in this browser."""
    return str(js.cospaiBoot.mode or "") == "static"


def static_sandbox() -> str | None:
    """A static build's sandbox origin pattern (`build.py --sandbox-host`), if it has one."""
    pattern = getattr(js.cospaiBoot, "sandbox", None)
    return str(pattern) if isinstance(pattern, str) and pattern else None
