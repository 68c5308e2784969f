"""The account button in the header (#account-slot): who is signed in, and a menu with
Change password, Sign out and Sign out everywhere. The app creates it after sign-in and
disposes of it at sign-out; signing out itself is the app's job (it owns the views that
must first put pending edits somewhere safe)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from client.adapters.server_api import HttpServerApi
from client.core.ports import ApiError, Offline
from client.core.tasks import spawn
from client.ffi import dom, modules
from client.ui.password_dialog import PasswordDialog
from client.ui.popup_menu import MenuItem, PopupMenu


class AccountMenu:
    def __init__(
        self, slot: Any, api: HttpServerApi, email: str, sign_out: Callable[[bool], Awaitable[None]]
    ) -> None:
        """sign_out(everywhere) raises ApiError when the server could not be told."""
        modules.use_styles("account")
        self.slot, self.api, self.email, self.sign_out = slot, api, email, sign_out
        self.node = dom.element("div", class_="account", id="account")
        self.button = dom.element(
            "button",
            type="button",
            class_="account-button",
            id="account-button",
            title=email,
            aria_label=f"Account: {email}",
        )
        initial = (email[:1] or "?").upper()
        self.button.append(
            dom.element("span", initial, class_="account-initial", aria_hidden="true"),
            dom.element("span", email, class_="account-email"),
        )
        # Failures to sign out (offline) are said beside the button, where the person looks.
        self.error = dom.element("span", class_="account-error", role="alert", id="account-error")
        self.node.append(self.button, self.error)
        self.menu = PopupMenu(self.button, self._items, "Account", heading=lambda: self.email)
        slot.replaceChildren(self.node)

    def _items(self) -> list[MenuItem]:
        return [
            MenuItem("Change password…", self._change_password, id="account-password"),
            MenuItem("Sign out", lambda: self._start(False), id="account-signout"),
            MenuItem(
                "Sign out everywhere", lambda: self._start(True), id="account-signout-everywhere"
            ),
        ]

    def _change_password(self) -> None:
        self.error.textContent = ""
        PasswordDialog(self.api)

    def _start(self, everywhere: bool) -> None:
        self.error.textContent = ""
        spawn(self._sign_out(everywhere), "sign out")

    async def _sign_out(self, everywhere: bool) -> None:
        self.button.disabled = True
        try:
            await self.sign_out(everywhere)
        except Offline:
            self.error.textContent = "Offline: cannot sign out until the server is reachable."
        except ApiError as error:
            self.error.textContent = f"Cannot sign out: {error}"
        finally:
            self.button.disabled = False

    def dispose(self) -> None:
        self.menu.dispose()
        self.node.remove()
