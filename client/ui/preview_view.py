"""The preview panel: the project's site in an iframe on the separate preview origin, with a
URL bar, back, reload, open in a new tab, a port switcher and the preview's console.

How a page gets here: the iframe loads <sandbox-origin>/preview/<sid>/<path>, on the
project's sandbox origin (where its runtime runs too); that origin's service worker forwards
the request through the hidden relay (client/ffi/preview.py) to this view, which answers
from the workbench's model (client/core/preview_site.py), or from an app in the runtime.
So the preview shows the files as they are in the editor, offline too, and reloads ~300 ms
after an edit (the scheduler's runtime tick, which the workbench passes on to `changed`).

The iframe's sandbox keeps allow-same-origin: the sandbox origin is another *site* than the
IDE's (server/sandbox_site.py), so "same origin" there grants the preview only its own
origin (which its service worker needs to control it), never the IDE's storage, cookies or
DOM. Without it the frame's origin would be opaque and no service worker would serve it.
It has no allow-top-navigation: a preview cannot send the IDE's tab elsewhere.

Two waits end with a message rather than a blank panel: the preview's service worker must
say hello within START_TIMEOUT_S (a blocked or broken preview origin), and an app served in
the runtime must answer within APP_TIMEOUT_S (an app that never responds, or a program
still running in the terminal, which keeps the runtime's only thread busy). The page's
`?preview-timeout=SECONDS` sets both, for tests.

Under the WebContainer engine an app's port comes with the container's own preview URL
(StackBlitz's origin, isolated from ours by design): that URL goes straight into the
iframe, and the container forwards the page's errors and console (runtime_link.py).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable
from typing import Any, Protocol

from client.adapters.pyodide_engine import PyodideRuntime
from client.core.preview_site import Answer, AppAnswer, answer
from client.core.sandbox import SandboxUnavailable
from client.core.tasks import spawn
from client.ffi import dom, modules
from client.ffi.events import Listeners
from client.ffi.preview import PreviewHost, observe_hidden, open_tab
from client.ffi.webcontainer import listen_console
from client.ui.ports import Frame, ProjectFiles
from client.ui.preview_console import PreviewConsole, preview_button
from client.ui.runtime_link import RuntimeLink

SANDBOX = "allow-scripts allow-forms allow-same-origin allow-popups allow-modals"
STATIC = "static"
START_TIMEOUT_S = 10.0
APP_TIMEOUT_S = 10.0  # under the service worker's own 15 s, so the message is this panel's


def _timeout_override() -> float | None:
    try:
        value = float(dom.location_query().get("preview-timeout", ""))
    except ValueError:
        return None
    return value if value > 0 else None


class PreviewBench(ProjectFiles, Frame, Protocol):
    """What the preview asks of the workbench: the files, its panel, two commands."""


class PreviewView:
    def __init__(self, bench: PreviewBench, link: RuntimeLink) -> None:
        self.bench, self.link = bench, link
        self.listeners = Listeners()
        modules.use_styles("preview")
        self.panel = bench.layout.panels["preview"]
        self.sid = secrets.token_hex(16)
        self.origin = ""
        self.path = "/"  # the page shown, below /preview/<sid>
        self.history: list[str] = []
        self.source = STATIC  # or a port number as text, from the port switcher
        self.ready = False
        self.started = False
        self.connections = 0  # hellos from the service worker: 1 + its restarts
        self.failed = False
        override = _timeout_override()
        self.start_timeout = override or START_TIMEOUT_S
        self.app_timeout = override or APP_TIMEOUT_S
        self.urls: dict[str, str] = {}  # port -> the WebContainer's own preview URL
        self.host = PreviewHost(self.listeners)
        body = dom.by_id("preview-host")
        dom.clear(body)
        body.classList.add("pv")
        self._build(body)
        self.console = PreviewConsole(body, self.listeners)
        self._observer = observe_hidden(self.panel, self.listeners, self._panel_toggled)
        bench.commands.add("preview.open", "Open Preview", self.open, (), "View")
        bench.commands.add("preview.reload", "Reload Preview", self.reload, (), "View")
        self._unsubscribe = [
            link.on("port", self._port_event),
            link.on("server-ready", self._server_ready),
        ]
        link.on_switch.append(self._engine_gone)
        link.preview_console = self.console
        self._stop_console: Any = None

    # ------------------------------------------------------------ building

    def _build(self, body: Any) -> None:
        bar = dom.element("div", class_="pv-bar", role="toolbar", aria_label="Preview")
        self.back = self._button(bar, "←", "Back", "preview-back", self.go_back)
        self._button(bar, "⟳", "Reload", "preview-reload", self.reload)
        self.url = dom.element(
            "input",
            class_="pv-url",
            id="preview-url",
            type="text",
            spellcheck="false",
            aria_label="Preview address",
        )
        self.url.value = "/"
        self.listeners.on(self.url, "keydown", self._url_key)
        bar.append(self.url)
        self.ports = dom.element(
            "select", class_="pv-ports", id="preview-port", aria_label="What to preview"
        )
        self.ports.append(dom.element("option", "Static files", value=STATIC))
        self.listeners.on(self.ports, "change", lambda _e: self._switch(str(self.ports.value)))
        bar.append(self.ports)
        self._button(bar, "↗", "Open in a new tab", "preview-open-tab", self.open_tab)
        self.note = dom.element(
            "div", "Starting the preview…", class_="pv-note", id="preview-note", role="status"
        )
        self.frame = dom.element(
            "iframe", class_="pv-frame", id="preview-frame", title="Preview", sandbox=SANDBOX
        )
        self.frame.hidden = True
        body.append(bar, self.note, self.frame)
        self.back.disabled = True

    def _button(self, bar: Any, text: str, title: str, node_id: str, action: Any) -> Any:
        button = preview_button(text, title, id=node_id, aria_label=title)
        self.listeners.on(button, "click", lambda _e: action())
        bar.append(button)
        return button

    # ------------------------------------------------------------ starting

    def open(self) -> None:
        """Palette: Open Preview."""
        self.bench.layout.toggle("preview", True)
        self.start()

    def _panel_toggled(self) -> None:
        if not self.panel.hidden:
            self.start()

    def start(self) -> None:
        if not self.started:
            self.started = True
            spawn(self._start(), "start the preview")

    async def _start(self) -> None:
        try:
            self.origin = await self.link.sandbox_origin()
        except SandboxUnavailable as error:
            self._say(f"The preview cannot start: {error}.")
            dom.set_state("preview", "failed")
            return
        await self.host.connect(
            self.origin,
            self.sid,
            on_request=self._request,
            on_console=self.console.add,
            on_location=self._located,
            on_ready=self._ready,
            on_error=self._failed,
        )
        self.host.watch(self.frame)
        await asyncio.sleep(self.start_timeout)
        if not self.ready and not self.failed and self.source not in self.urls:
            dom.set_state("preview", "timeout")
            self._say(
                f"The preview did not start within {self.start_timeout:g} s: the "
                f"sandbox origin ({self.origin}) did not answer. Check that it is "
                "reachable, then reload the page."
            )

    def _ready(self) -> None:
        """The service worker said hello (first start, or after it restarted)."""
        first = not self.ready
        self.ready = True
        self.connections += 1
        dom.set_state("preview", "ready")
        dom.set_state("preview-connections", str(self.connections))
        if first:
            self.navigate(self.path, remember=False)

    def _failed(self, message: str) -> None:
        self.failed = True
        dom.set_state("preview", "failed")
        self._say(f"The preview cannot start: {message}")

    def _say(self, text: str) -> None:
        self.note.textContent = text
        self.note.hidden = False

    # ------------------------------------------------------------ answering

    def _request(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Answer | AppAnswer | Awaitable[Answer | AppAnswer]:
        if self.source != STATIC:
            return self._from_app(
                int(self.source),
                {"method": method, "path": path, "query": query, "headers": headers, "body": body},
            )
        files = self.bench.model.files

        def read(name: str) -> bytes | None:
            local = files.get(name)
            return local.content if local is not None else None

        return answer(method, path, read)

    async def _from_app(self, port: int, request: dict[str, Any]) -> Answer | AppAnswer:
        """A request for an app served in the runtime (client/worker/serve.py)."""
        runtime = self.link.runtime
        if not isinstance(runtime, PyodideRuntime):  # a container's app has its own URL
            text = f"The app on port {port} is served at the container's own address."
            return Answer(502, {"content-type": "text/plain; charset=utf-8"}, text.encode())
        try:
            reply = await asyncio.wait_for(runtime.call("http", port, request), self.app_timeout)
        except TimeoutError:  # before OSError, of which it is a kind
            text = (
                f"The app on port {port} did not answer within {self.app_timeout:g} s: "
                "it never responded, or a program still running in the terminal keeps "
                "the runtime busy (Ctrl+C stops it)."
            )
            self.console.add("error", text)
            self._say(text)
            return Answer(504, {"content-type": "text/plain; charset=utf-8"}, text.encode())
        except OSError as error:
            text = f"The app on port {port} did not answer: {error}"
            return Answer(502, {"content-type": "text/plain; charset=utf-8"}, text.encode())
        headers = [(str(k), str(v)) for k, v in reply.get("headers", [])]
        # The preview's origin is shared by every app; a cookie jar per app is not kept, so
        # Set-Cookie is dropped here rather than by the browser, silently.
        kept = [[k, v] for k, v in headers if k.lower() != "set-cookie"]
        return AppAnswer(int(reply.get("status", 500)), kept, bytes(reply.get("body") or b""))

    # ------------------------------------------------------------ navigation

    def frame_url(self, path: str) -> str:
        external = self.urls.get(self.source)
        if external:  # the container's URL as it gave it, for its root page
            return external if path == "/" else external.rstrip("/") + path
        return f"{self.origin}/preview/{self.sid}{path}"

    def navigate(self, path: str, remember: bool = True) -> None:
        if not path.startswith("/"):
            path = "/" + path
        if remember and path != self.path:
            self.history.append(self.path)
        self.path = path
        self.url.value = path
        self.back.disabled = not self.history
        if not self.ready and self.source not in self.urls:
            return  # _ready loads it (a WebContainer URL needs no service worker)
        self.note.hidden = True
        self.frame.hidden = False
        # Setting src again reloads even when it is unchanged (a cross-origin frame
        # cannot be told to reload otherwise).
        self.frame.src = self.frame_url(path)
        dom.set_state("preview-path", path)

    def _located(self, href: str) -> None:
        """The page reports where it is (a link clicked inside the preview)."""
        prefix = f"/preview/{self.sid}"
        if not href.startswith(prefix):
            return
        path = href[len(prefix) :] or "/"
        if path != self.path:
            self.history.append(self.path)
            self.path = path
            self.back.disabled = False
        self.url.value = path

    def go_back(self) -> None:
        if self.history:
            self.navigate(self.history.pop(), remember=False)
            self.back.disabled = not self.history

    def reload(self) -> None:
        self.navigate(self.path, remember=False)

    def open_tab(self) -> None:
        if self.ready or self.source in self.urls:
            open_tab(self.frame_url(self.path))

    def _url_key(self, event: Any) -> None:
        if event.key == "Enter":
            event.preventDefault()
            self.navigate(str(self.url.value).strip() or "/")

    def _switch(self, source: str) -> None:
        self.source = source
        self.console.add("info", f"Previewing {'static files' if source == STATIC else source}")
        self.reload()

    def _server_ready(self, port: int, url: str = "") -> None:
        """An app started serving in the terminal: show it."""
        self._port_event(port, "open", url)
        self.ports.value = str(port)
        self.source = str(port)
        self.open()
        self.navigate("/", remember=False)

    def _port_event(self, port: int, state: str, url: str = "") -> None:
        value = str(port)
        if state == "open" and url and self.link.engine == "webcontainer":
            self.urls[value] = url
            self._listen_console()
        elif state == "close":
            self.urls.pop(value, None)
        existing = self.ports.querySelector(f'option[value="{value}"]')
        if state == "open" and not dom.present(existing):
            self.ports.append(dom.element("option", f"Port {port}", value=value))
        elif state == "close" and dom.present(existing):
            existing.remove()
            if self.source == value:
                self.ports.value = STATIC
                self._switch(STATIC)

    def _engine_gone(self) -> None:
        """The project switched engines: the old one's apps and ports are gone."""
        self.urls.clear()
        for option in list(self.ports.querySelectorAll("option")):
            if str(option.value) != STATIC:
                option.remove()
        if self.source != STATIC:
            self.ports.value = STATIC
            self._switch(STATIC)

    def _listen_console(self) -> None:
        """console.log & co. of a WebContainer preview (its preview script posts them)."""
        if self._stop_console is None:
            self._stop_console = spawn(
                listen_console(self.frame, self.listeners, self.console.add),
                "listen to the preview's console",
            )

    # ------------------------------------------------------------ workbench hooks

    def changed(self, _paths: list[str]) -> None:
        """The model settled after an edit (the scheduler's 300 ms tick): show it."""
        if self.ready and self.source == STATIC and not self.panel.hidden:
            self.reload()

    def refresh(self) -> None:
        """Model changes arrive through changed(), already debounced; this only starts the
        preview once the project's files are there, if the panel is shown."""
        if not self.started and not self.panel.hidden and self.bench.model.files:
            self.start()

    def dispose(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        if self._stop_console is not None and self._stop_console.done():
            self._stop_console.result()()
        self._observer.disconnect()
        self.host.dispose()
        self.listeners.dispose()
