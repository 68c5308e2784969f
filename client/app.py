"""The app: which view the URL asks for, and who is signed in (with the account menu in
the header while someone is). Offline, the person last signed in here is remembered
(client/core/offline_state.py), so the cached projects still open."""

from __future__ import annotations

import contextlib
from typing import Any

from client.adapters.local_only_api import LocalOnlyApi
from client.adapters.server_api import HttpServerApi
from client.core import offline_state
from client.core.ports import ApiError, Offline, SignedOut
from client.core.tasks import spawn
from client.ffi import dom, page
from client.ffi.events import Listeners
from client.ui.account_menu import AccountMenu
from client.ui.auth_view import AuthView
from client.ui.local_dashboard import show_static_banner


class App:
    def __init__(self) -> None:
        self.api = HttpServerApi()
        self.root = dom.by_id("workbench")
        self.view: Any = None
        self.user: dict[str, Any] | None = None
        self.account: AccountMenu | None = None
        self.listeners = Listeners()
        self.listeners.on(dom.window(), "popstate", lambda _e: spawn(self.route(), "show the page"))

    async def start(self) -> None:
        if page.static_only():
            # `build.py --static-only`: no server, no accounts; work stays in this browser.
            show_static_banner()
            self.user = {"id": "local", "email": ""}
            await self.route()
            return
        try:
            session = await self.api.session()
            dom.mark("session")
        except Offline:
            # No server: whoever was signed in here last sees their cached projects. This
            # grants nothing the server would refuse: every API call still needs the cookie.
            self.user = offline_state.remembered_user(dom.local_get(offline_state.USER_KEY))
        except ApiError:
            self.user = None  # the server failed: the views say so when they need it
        else:
            self._remember(session["user"] if session else None)
        self._show_account()
        await self.route()

    def _remember(self, user: dict[str, Any] | None) -> None:
        self.user = user
        if user is None:
            dom.local_remove(offline_state.USER_KEY)
        else:
            dom.local_set(offline_state.USER_KEY, offline_state.user_record(user))

    def _show(self, view: Any) -> None:
        if self.view is not None:
            self.view.dispose()
        self.view = view

    def navigate(self, path: str) -> None:
        dom.push_path(path)
        spawn(self.route(), "show the page")

    async def route(self) -> None:
        path = dom.location_path()
        if self.user is None:
            dom.set_state("view", "auth")
            mode = "signup" if path == "/signup" else "signin"
            self._show(AuthView(self.root, self.api, self._signed_in, mode, self.navigate))
            return
        # Each view's modules are imported when it is first shown: the dashboard and the
        # sign-in page do not wait for the workbench's (editor, explorer, terminal, runtime)
        # nor the workbench for the dashboard's.
        if path.startswith("/p/"):
            from client.ui.workbench import Workbench

            dom.set_state("view", "workbench")
            api: Any = LocalOnlyApi(page.static_sandbox()) if page.static_only() else self.api
            self._show(Workbench(self.root, api, path[3:], dom.location_query()))
            return
        dom.set_state("view", "dashboard")
        if page.static_only():
            from client.ui.local_dashboard import LocalDashboard

            self._show(LocalDashboard(self.root, lambda pid: self.navigate(f"/p/{pid}")))
            return
        from client.ui.dashboard import Dashboard

        self._show(
            Dashboard(
                self.root,
                self.api,
                lambda pid: self.navigate(f"/p/{pid}"),
                str(self.user.get("id", "")),
            )
        )

    async def _signed_in(self, body: dict[str, Any]) -> None:
        self._remember(body["user"])
        self._show_account()
        if dom.location_path() in {"/", "/signin", "/signup"}:
            dom.push_path("/projects")
        await self.route()

    def _show_account(self) -> None:
        if self.account is not None:
            self.account.dispose()
            self.account = None
        slot = dom.by_id("account-slot")
        if self.user is not None and slot is not None:
            self.account = AccountMenu(
                slot, self.api, str(self.user.get("email", "")), self.sign_out
            )

    async def sign_out(self, everywhere: bool) -> None:
        """Raises ApiError when the server could not be told (offline): then nothing changes.

        Pending edits are never dropped: the workbench's outbox lives in IndexedDB (and its
        journal in localStorage), keyed by project, and sign-out deletes neither. The view
        is asked to flush first, so edits typed a moment ago are in the journal before the
        page can go away; they are sent when this user opens the project again."""
        flush = getattr(self.view, "flush", None)
        if callable(flush):
            flush()
        path = "/auth/signout-everywhere" if everywhere else "/auth/signout"
        # A session that had already ended (elsewhere, or expired) is signed out anyway.
        with contextlib.suppress(SignedOut):
            await self.api.call("POST", path)
        if self.user is not None:
            dom.local_remove(offline_state.list_key(str(self.user.get("id", ""))))
        self._remember(None)
        self.api.csrf_token = ""
        self._show_account()
        dom.push_path("/signin")
        await self.route()
