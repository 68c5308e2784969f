"""Small DOM helpers. Text is always set as text, never parsed as HTML."""

from __future__ import annotations

from typing import Any

import js
from pyodide.ffi import create_once_callable, jsnull

from client.ffi.convert import to_object


def element(tag: str, text: str = "", **attrs: str) -> Any:
    node = js.document.createElement(tag)
    if text:
        node.textContent = text
    for name, value in attrs.items():
        node.setAttribute(name.rstrip("_").replace("_", "-"), value)
    return node


def present(value: Any) -> bool:
    """False for JS null/undefined (Pyodide gives null as `jsnull`, not None)."""
    return value is not None and value is not jsnull


def by_id(element_id: str) -> Any:
    """The element, or None (never jsnull, so callers can test `is None`)."""
    node = js.document.getElementById(element_id)
    return node if present(node) else None


def when_idle(callback: Any, timeout_ms: int) -> None:
    """Run `callback()` in the browser's next idle moment (after a frame has painted, with
    no input waiting), or after `timeout_ms` at the latest: work that can wait a frame
    then stays out of the way of the frames a keystroke waits for."""
    window = js.window
    if hasattr(window, "requestIdleCallback"):
        window.requestIdleCallback(
            create_once_callable(lambda _deadline: callback()), to_object({"timeout": timeout_ms})
        )
    else:
        window.setTimeout(create_once_callable(callback), 0)


def page_origin() -> str:
    return str(js.location.origin)


def cross_origin_isolated() -> bool:
    return bool(getattr(js, "crossOriginIsolated", False))


def clear(node: Any) -> None:
    node.replaceChildren()


def site_base() -> str:
    """The path the site is served under, from <base href> ("/", or "/ide/" on a sub-path)."""
    return str(js.URL.new(js.document.baseURI).pathname)


def location_path() -> str:
    """The app's own path ("/projects", "/p/<id>"), whatever sub-path the site is under."""
    path, base = str(js.location.pathname), site_base()
    return "/" + path[len(base) :] if path.startswith(base) else path


def push_path(path: str) -> None:
    """Go to an app path ("/p/<id>") under the site's base, without loading a page."""
    js.history.pushState(None, "", site_base() + path.lstrip("/"))


def add_stylesheet(href: str) -> None:
    if not present(js.document.querySelector(f'link[data-sheet="{href}"]')):
        link = element("link", rel="stylesheet", href=href)
        link.setAttribute("data-sheet", href)
        js.document.head.append(link)


def window() -> Any:
    return js.window


def set_state(name: str, value: str) -> None:
    """A data-* attribute on <html>: a stable hook for styles and tests. Written only when
    it changes: a write of the same value still invalidates the styles that read it."""
    root, attribute = js.document.documentElement, f"data-{name}"
    if root.getAttribute(attribute) != value:
        root.setAttribute(attribute, value)


def prefers_dark() -> bool:
    return bool(js.window.matchMedia("(prefers-color-scheme: dark)").matches)


def navigator_online() -> bool:
    return bool(js.navigator.onLine)


def mark(step: str) -> None:
    js.performance.mark(f"cospai:{step}")


def debug_enabled() -> bool:
    return "debug=1" in str(js.location.search)


def expose(name: str, members: dict[str, Any]) -> None:
    """A global object for tools and benchmarks (callers own the proxies inside)."""
    setattr(js.window, name, to_object(members))


def document() -> Any:
    return js.document


def local_get(key: str) -> str | None:
    try:
        value = js.localStorage.getItem(key)
    except Exception:  # storage blocked (some embeds, private modes)
        return None
    return str(value) if present(value) else None


def local_set(key: str, value: str) -> bool:
    """Synchronous, so it completes even while the page is being torn down."""
    try:
        js.localStorage.setItem(key, value)
    except Exception:
        return False
    return True


def local_remove(key: str) -> None:
    try:
        js.localStorage.removeItem(key)
    except Exception:
        return


def set_theme(theme: str) -> None:
    """'light' or 'dark' forces that theme; 'auto' follows the system (index.html's CSS)."""
    root = js.document.documentElement
    if theme in {"light", "dark"}:
        root.setAttribute("data-theme", theme)
    else:
        root.removeAttribute("data-theme")


def on_system_theme(listeners: Any, callback: Any) -> None:
    """Call back when the system's light/dark preference changes (the "auto" theme)."""
    listeners.on(
        js.window.matchMedia("(prefers-color-scheme: dark)"), "change", lambda _event: callback()
    )


def theme_is_dark() -> bool:
    chosen = js.document.documentElement.getAttribute("data-theme")
    if present(chosen) and str(chosen) in {"light", "dark"}:
        return str(chosen) == "dark"
    return prefers_dark()


def location_query() -> dict[str, str]:
    """The page URL's query parameters (the first value of each)."""
    params = js.URLSearchParams.new(js.location.search)
    found: dict[str, str] = {}
    for pair in js.Array.from_(params.entries()):
        found.setdefault(str(pair[0]), str(pair[1]))
    return found
