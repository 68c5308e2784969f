"""client/ffi's bridges to the engines' JS (runtime_worker.WorkerEngine,
webcontainer.ContainerBridge) and the Listeners that own their proxies: JS errors become
OSError with the JS message, values come back as Python, and every proxy handed to JS is
destroyed with its owner."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import Browser, JsException, arun


class Handle:
    """A JS object whose async methods answer from `answers` (an exception is thrown)."""

    workdir = "/home/project"

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[tuple[Any, ...]] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        async def method(*args: Any) -> Any:
            self.calls.append((name, *args))
            answer = self.answers.get(name)
            if isinstance(answer, BaseException):
                raise answer
            return answer

        return method


@pytest.fixture
def site(browser: Browser) -> Browser:
    """Assets under http://ide.test/assets/<group>/, as the boot loader names them."""
    js = browser.js
    js.location.origin = "http://ide.test"
    js.document.baseURI = "http://ide.test/p/1"
    js.cospaiBoot.assets = SimpleNamespace(
        client="/assets/client/", pyodide="/assets/pyodide/", wheelhouse="/assets/wheels/"
    )
    js.URL.new = lambda url, base=None: SimpleNamespace(
        href=urljoin(base or "", url), pathname=urlsplit(urljoin(base or "", url)).path
    )
    return browser


def worker_engine(browser: Browser, handle: Any, heard: list[Any]) -> Any:
    runtime_worker = browser.load("client.ffi.runtime_worker")
    events = browser.load("client.ffi.events")
    glue = SimpleNamespace(createEngine=lambda *args: handle.made(*args) or handle)
    return runtime_worker.WorkerEngine(
        glue, "http://p1.sandbox.test", events.Listeners(), heard.append
    )


class EngineHandle(Handle):
    def made(self, url: str, origin: str, on_message: Any) -> None:
        self.url, self.origin, self.on_message = url, origin, on_message

    def boot(self, paths: dict[str, str]) -> None:
        self.paths = paths

    def open(self, sid: str, options: dict[str, Any], on_state: Any) -> str:
        self.opened = (sid, options, on_state)
        return f"session {sid}"


def test_the_worker_engine_is_made_in_the_sandbox_and_booted_with_site_paths(
    site: Browser,
) -> None:
    handle, heard = EngineHandle(), list[Any]()
    engine = worker_engine(site, handle, heard)
    assert (handle.url, handle.origin) == ("http://p1.sandbox.test/runtime.html", "http://ide.test")
    handle.on_message({"op": "status", "state": "ready"})
    assert heard == [{"op": "status", "state": "ready"}]
    engine.boot()
    assert handle.paths == {
        "pyodide": "/assets/pyodide/",
        "client": "/assets/client/client.zip",
        "worker": "/assets/client/glue/runtime-worker.mjs",
        "wheelhouse": "/assets/wheels/simple",
        "mirror": None,
        "npm": None,
    }  # paths only: the sandbox fetches them from its own origin
    engine.boot("http://ide.test/api/mirror/pypi/simple", "http://ide.test/api/mirror/npm/")
    # The two URLs off the sandbox's origin it may be given: the mirror's indexes.
    assert handle.paths["mirror"] == "http://ide.test/api/mirror/pypi/simple"
    assert handle.paths["npm"] == "http://ide.test/api/mirror/npm/"


def test_worker_calls_answer_in_python_or_raise_the_workers_words(site: Browser) -> None:
    handle = EngineHandle(call=[["a.txt", False]])
    engine = worker_engine(site, handle, [])
    assert arun(lambda: engine.call("readdir", "")) == [["a.txt", False]]
    assert handle.calls == [("call", "readdir", [""])]
    handle.answers["call"] = JsException("x: No such file or directory")
    with pytest.raises(OSError, match=r"^x: No such file or directory$"):
        arun(lambda: engine.call("read_file", "x"))
    handle.answers["call"] = RuntimeError("no message attribute")
    with pytest.raises(OSError, match=r"^no message attribute$"):
        arun(lambda: engine.call("read_file", "x"))


class JsString:
    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def test_sessions_hear_their_states_as_python_strings(site: Browser) -> None:
    handle = EngineHandle()
    engine = worker_engine(site, handle, [])
    states: list[tuple[str, Any]] = []
    opened = engine.open("s1", {"cols": 80}, lambda kind, value: states.append((kind, value)))
    sid, options, on_state = handle.opened
    assert (opened, sid, options) == ("session s1", "s1", {"cols": 80})
    on_state("idle", 0)
    on_state(JsString("exit"), 2)  # a JS string proxy: str() makes it Python's
    assert states == [("idle", 0), ("exit", 2)]
    assert all(type(kind) is str for kind, _value in states)


class Button:
    def __init__(self) -> None:
        self.removed: list[tuple[Any, ...]] = []

    def addEventListener(self, *args: Any) -> None:  # noqa: N802
        pass

    def removeEventListener(self, *args: Any) -> None:  # noqa: N802
        self.removed.append(args)


def test_disposing_the_listeners_destroys_every_proxy_once(site: Browser) -> None:
    events = site.load("client.ffi.events")
    listeners = events.Listeners()
    button = Button()
    listeners.on(button, "click", lambda _event: None)
    listeners.on_capture(button, "keydown", lambda _event: None)
    listeners.proxy(lambda: None)
    assert len(site.live_proxies()) == 3
    listeners.dispose()
    assert site.live_proxies() == []
    assert [(event, capture) for event, _proxy, capture in button.removed] == [
        ("click", False),
        ("keydown", True),
    ]
    listeners.dispose()  # nothing left to destroy twice


def container_bridge(browser: Browser, handle: Handle) -> Any:
    webcontainer = browser.load("client.ffi.webcontainer")
    events = browser.load("client.ffi.events")
    return webcontainer.ContainerBridge(handle, events.Listeners())


def test_container_boot_failures_are_oserror_with_the_reason(
    site: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    webcontainer = site.load("client.ffi.webcontainer")
    events = site.load("client.ffi.events")
    site.js.cospaiBoot.assets.webcontainer = "/assets/wc/"
    glue = Handle(boot=JsException("WebContainer did not boot within 20 s"))

    async def load_glue() -> Handle:
        return glue

    monkeypatch.setattr(webcontainer, "_glue", load_glue)
    with pytest.raises(OSError, match=r"^WebContainer did not boot within 20 s$"):
        arun(lambda: webcontainer.ContainerBridge.boot(events.Listeners(), "key", 20_000))
    [(_name, url, options)] = glue.calls
    assert url == "http://ide.test/assets/wc/webcontainer.mjs"
    assert options == {"apiKey": "key", "timeoutMs": 20_000}
    glue.answers["boot"] = SimpleNamespace(workdir="/home/abc")
    bridge = arun(lambda: webcontainer.ContainerBridge.boot(events.Listeners(), "", 1))
    assert bridge.workdir == "/home/abc"


def test_container_calls_raise_nodes_words(site: Browser) -> None:
    handle = Handle(readFile=b"x", readMany=[["a", b"1"], ["b", None, "ENOENT: b"]])
    bridge = container_bridge(site, handle)
    assert arun(lambda: bridge.call("readFile", "a")) == b"x"
    assert arun(lambda: bridge.read_many(["a", "b"])) == [["a", b"1"], ["b", None, "ENOENT: b"]]
    arun(lambda: bridge.write_file("c", b"\x00"))
    arun(lambda: bridge.mount({"a": {"file": {"contents": b""}}}))
    assert handle.calls == [
        ("readFile", "a"),
        ("readMany", ["a", "b"]),
        ("writeFile", "c", b"\x00"),
        ("mount", {"a": {"file": {"contents": b""}}}),
    ]
    handle.answers["rm"] = JsException("ENOTEMPTY: directory not empty, rm 'd'")
    with pytest.raises(OSError, match=r"^ENOTEMPTY: directory not empty, rm 'd'$"):
        arun(lambda: bridge.call("rm", "d"))
    handle.answers["spawn"] = JsException("spawn jsh ENOENT")
    with pytest.raises(OSError, match=r"^spawn jsh ENOENT$"):
        arun(lambda: bridge.spawn("jsh", [], {}, lambda kind, value: None))


class Watched(Handle):
    """A container whose watch and on() keep the proxies they were given."""

    def __init__(self) -> None:
        super().__init__()
        self.given: dict[str, Any] = {}
        self.closed: list[str] = []

    def watch(self, proxy: Any) -> Any:
        return self.on("watch", proxy)

    def on(self, event: str, proxy: Any) -> Any:
        self.given[event] = proxy
        return lambda: self.closed.append(event)


def test_container_watch_and_events_reach_python_and_close(site: Browser) -> None:
    handle = Watched()
    bridge = container_bridge(site, handle)
    names: list[list[str]] = []
    ports: list[tuple[Any, ...]] = []
    stop_watch = bridge.watch(names.append)
    stop_port = bridge.on("port", lambda *args: ports.append(args))
    handle.given["watch"](["a.txt", JsString("b.txt")])
    handle.given["port"](5173, "open", "http://x")
    assert names == [["a.txt", "b.txt"]] and ports == [(5173, "open", "http://x")]
    stop_watch()
    stop_port()
    assert handle.closed == ["watch", "port"]
    bridge.listeners.dispose()
    assert site.live_proxies() == []
    bridge.release()
    assert bridge.handle is None
