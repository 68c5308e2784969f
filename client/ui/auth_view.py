"""Sign in and sign up: one form, two buttons; the server's refusal is shown as it says it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from client.adapters.server_api import HttpServerApi
from client.core.ports import ApiError, Refused
from client.ffi import dom
from client.ffi.events import Listeners


class AuthView:
    def __init__(self, root: Any, api: HttpServerApi,
                 signed_in: Callable[[dict[str, Any]], Awaitable[None]]) -> None:  # fmt: skip
        self.api, self.signed_in = api, signed_in
        self.listeners = Listeners()
        form = dom.element("form", class_="auth card", id="auth-form")
        form.append(dom.element("h1", "Sign in to CosPAI IDE"))
        self.email = dom.element("input", type="email", name="email", placeholder="Email",
                                 autocomplete="username", required="")  # fmt: skip
        self.password = dom.element("input", type="password", name="password",
                                    placeholder="Password (8 characters or more)",
                                    autocomplete="current-password", required="")  # fmt: skip
        self.error = dom.element("p", class_="form-error", role="alert")
        signin = dom.element("button", "Sign in", type="submit", id="signin")
        signup = dom.element("button", "Create account", type="button", id="signup",
                             class_="secondary")  # fmt: skip
        actions = dom.element("div", class_="actions")
        actions.append(signin, signup)
        form.append(self.email, self.password, self.error, actions)
        root.replaceChildren(form)
        self.listeners.on(form, "submit", lambda e: self._go(e, "signin"))
        self.listeners.on(signup, "click", lambda e: self._go(e, "signup"))
        self.email.focus()

    def _go(self, event: Any, kind: str) -> None:
        event.preventDefault()
        asyncio.ensure_future(self._submit(kind))

    async def _submit(self, kind: str) -> None:
        email, password = str(self.email.value).strip(), str(self.password.value)
        if not email or len(password) < 8:
            self.error.textContent = "Enter your email and a password of 8 characters or more."
            return
        self.error.textContent = ""
        try:
            body = await self.api.sign(kind, email, password)
        except Refused as error:
            self.error.textContent = str(error)
            return
        except ApiError as error:
            self.error.textContent = f"The server cannot be reached ({error}). Try again."
            return
        await self.signed_in(body)

    def dispose(self) -> None:
        self.listeners.dispose()
