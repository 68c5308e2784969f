"""The app: which view the URL asks for, and who is signed in."""

from __future__ import annotations

import asyncio
from typing import Any

from client.adapters.server_api import HttpServerApi
from client.core.ports import ApiError
from client.ffi import dom
from client.ffi.events import Listeners
from client.ui.auth_view import AuthView
from client.ui.dashboard import Dashboard
from client.ui.workbench import Workbench


class App:
    def __init__(self) -> None:
        self.api = HttpServerApi()
        self.root = dom.by_id("workbench")
        self.view: Any = None
        self.user: dict[str, Any] | None = None
        self.listeners = Listeners()
        self.listeners.on(dom.window(), "popstate", lambda _e: asyncio.ensure_future(self.route()))

    async def start(self) -> None:
        try:
            session = await self.api.session()
        except ApiError:
            session = None  # offline: the views say so when they need the server
        self.user = session["user"] if session else None
        await self.route()

    def _show(self, view: Any) -> None:
        if self.view is not None:
            self.view.dispose()
        self.view = view

    def navigate(self, path: str) -> None:
        dom.push_path(path)
        asyncio.ensure_future(self.route())

    async def route(self) -> None:
        path = dom.location_path()
        if self.user is None:
            dom.set_state("view", "auth")
            self._show(AuthView(self.root, self.api, self._signed_in))
            return
        if path.startswith("/p/"):
            dom.set_state("view", "workbench")
            self._show(Workbench(self.root, self.api, path[3:], dom.location_query()))
            return
        dom.set_state("view", "dashboard")
        self._show(Dashboard(self.root, self.api, lambda pid: self.navigate(f"/p/{pid}")))

    async def _signed_in(self, body: dict[str, Any]) -> None:
        self.user = body["user"]
        if dom.location_path() in {"/", "/signin", "/signup"}:
            dom.push_path("/projects")
        await self.route()
