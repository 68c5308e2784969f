"""Fixtures for client/adapters and client/ffi under CPython: stand-ins for Pyodide's `js`
and `pyodide.ffi`, put in place for one test only.

The adapters import the FFI at module level, so they are imported through `Browser.load`
once the stand-ins are there, and forgotten after the test; nothing of the fake browser
outlives it. This suite never runs inside Pyodide (where the real modules exist).
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import types
from collections.abc import Callable, Coroutine, Iterator
from typing import Any
from unittest import mock

import pytest

FORGET = ("client.ffi", "client.adapters", "client.ui")  # what imports `js`, and above


class JsException(Exception):
    """A JS error raised into Python: its `message` is the JS message."""

    def __init__(self, message: str, name: str = "Error") -> None:
        super().__init__(f"{name}: {message}")
        self.message, self.name = message, name


class JsProxy:
    """Nothing here is a real JS object: plain Python values cross as they are."""


class JsObject(dict[str, Any]):
    """A plain JS object made by to_js(..., dict_converter=...): a dict whose keys are
    also attributes, as JS properties are."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def to_js(value: Any, dict_converter: Any = None, **_options: Any) -> Any:
    """Python values cross as they are; with a dict converter, dicts become objects."""
    if dict_converter is None:
        return value
    if isinstance(value, dict):
        return JsObject({k: to_js(v, dict_converter) for k, v in value.items()})
    if isinstance(value, list):
        return [to_js(item, dict_converter) for item in value]
    return value


class Proxy:
    """What create_proxy returns: callable until destroyed, and it knows it was."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.destroyed = fn, False

    def __call__(self, *args: Any) -> Any:
        assert not self.destroyed, "a destroyed proxy was called"
        return self.fn(*args)

    def destroy(self) -> None:
        assert not self.destroyed, "a proxy was destroyed twice"
        self.destroyed = True


class Browser:
    """The fake browser of one test: its `js` (a mock: any name is there) and every
    proxy made, to check that each was destroyed."""

    def __init__(self) -> None:
        self.js = mock.MagicMock(name="js")
        self.proxies: list[Proxy] = []
        ffi = types.ModuleType("pyodide.ffi")
        ffi.JsException = JsException  # type: ignore[attr-defined]
        ffi.JsProxy = JsProxy  # type: ignore[attr-defined]
        ffi.jsnull = object()  # type: ignore[attr-defined]
        ffi.to_js = to_js  # type: ignore[attr-defined]
        ffi.create_proxy = self._proxy  # type: ignore[attr-defined]
        ffi.create_once_callable = self._proxy  # type: ignore[attr-defined]
        self.ffi = ffi
        self.package = types.ModuleType("pyodide")
        self.package.ffi = ffi  # type: ignore[attr-defined]

    def _proxy(self, fn: Callable[..., Any], **_options: Any) -> Proxy:
        proxy = Proxy(fn)
        self.proxies.append(proxy)
        return proxy

    def load(self, name: str) -> Any:
        return importlib.import_module(name)

    def live_proxies(self) -> list[Proxy]:
        return [proxy for proxy in self.proxies if not proxy.destroyed]


def _forget() -> None:
    for name in [n for n in sys.modules if n.startswith(FORGET)]:
        del sys.modules[name]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    fake = Browser()
    _forget()
    monkeypatch.setitem(sys.modules, "js", fake.js)
    monkeypatch.setitem(sys.modules, "pyodide", fake.package)
    monkeypatch.setitem(sys.modules, "pyodide.ffi", fake.ffi)
    yield fake
    _forget()


def arun(main: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run an async test body on a fresh event loop (the adapters make futures on it)."""
    return asyncio.run(main())
