"""Sign in (/signin, and / for a visitor) and sign up (/signup), each linking to the other.

Sign-up asks for the password twice: a typo there would lock the person out of the account
they just made. What the server refuses (a taken email, a wrong password, too many
attempts) is shown as it says it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from client.adapters.server_api import HttpServerApi
from client.core.ports import ApiError, Refused
from client.core.tasks import spawn
from client.ffi import dom, modules
from client.ffi.events import Listeners

MIN_PASSWORD = 8  # the server's limits.PASSWORD_MIN


class AuthView:
    def __init__(
        self,
        root: Any,
        api: HttpServerApi,
        signed_in: Callable[[dict[str, Any]], Awaitable[None]],
        mode: str = "signin",
        navigate: Callable[[str], None] | None = None,
    ) -> None:
        """mode: 'signin' or 'signup'; navigate(path) switches to the other page in place."""
        modules.use_styles("account")
        self.api, self.signed_in, self.mode = api, signed_in, mode
        self.listeners = Listeners()
        signup = mode == "signup"
        form = dom.element(
            "form",
            class_="auth card",
            id="auth-form",
            novalidate="",
            aria_labelledby="auth-title",
            data_mode=mode,
        )
        title = "Create your CosPAI IDE account" if signup else "Sign in to CosPAI IDE"
        form.append(dom.element("h1", title, id="auth-title"))
        self.email = self._field(
            form, "Email", type="email", name="email", autocomplete="username", required=""
        )
        hint = f"{MIN_PASSWORD} characters or more" if signup else ""
        self.password = self._password(form, "Password", "password", signup, hint)
        self.confirm = None
        if signup:
            self.confirm = self._password(form, "Confirm password", "confirm", new=True)
        self.error = dom.element("p", class_="form-error", role="alert", id="auth-error")
        label = "Create account" if signup else "Sign in"
        submit = dom.element("button", label, type="submit", id="signup" if signup else "signin")
        actions = dom.element("div", class_="actions")
        actions.append(submit)
        other = "/signin" if signup else "/signup"
        question = "Already have an account?" if signup else "New here?"
        link_text = "Sign in" if signup else "Create an account"
        switch = dom.element("p", question + " ", class_="auth-switch muted")
        link = dom.element("a", link_text, href=other.lstrip("/"), id="auth-switch")
        switch.append(link)
        form.append(self.error, actions, switch)
        root.replaceChildren(form)
        self.listeners.on(form, "submit", self._go)
        if navigate is not None:
            # In place: following the link would boot Python again for a page we can draw.
            self.listeners.on(link, "click", lambda e: self._switch(e, navigate, other))
        self.email.focus()

    @staticmethod
    def _field(form: Any, label: str, **attrs: str) -> Any:
        row = dom.element("label", class_="auth-field")
        row.append(dom.element("span", label))
        field = dom.element("input", **{k: v for k, v in attrs.items() if v})
        row.append(field)
        form.append(row)
        return field

    @classmethod
    def _password(cls, form: Any, label: str, name: str, new: bool, placeholder: str = "") -> Any:
        """`new`: a password being chosen, which password managers offer to make up and
        save rather than fill in."""
        return cls._field(
            form,
            label,
            type="password",
            name=name,
            required="",
            autocomplete="new-password" if new else "current-password",
            placeholder=placeholder,
        )

    @staticmethod
    def _switch(event: Any, navigate: Callable[[str], None], path: str) -> None:
        if event.ctrlKey or event.metaKey or event.shiftKey or event.button != 0:
            return  # a new tab or window: let the browser open it
        event.preventDefault()
        navigate(path)

    def _go(self, event: Any) -> None:
        event.preventDefault()
        spawn(self._submit(), "sign in")

    def _problem(self) -> tuple[str, Any] | None:
        email, password = str(self.email.value).strip(), str(self.password.value)
        if not email:
            return "Enter your email.", self.email
        if "@" not in email:
            return "Enter an email address (name@example.com).", self.email
        if not password:
            return "Enter your password.", self.password
        if self.confirm is not None:
            if len(password) < MIN_PASSWORD:
                return f"Choose a password of {MIN_PASSWORD} characters or more.", self.password
            if str(self.confirm.value) != password:
                return "The two passwords differ: type the same one twice.", self.confirm
        return None

    async def _submit(self) -> None:
        for field in (self.email, self.password, self.confirm):
            if field is not None:
                field.removeAttribute("aria-invalid")
        problem = self._problem()
        if problem is not None:
            text, field = problem
            self.error.textContent = text
            field.setAttribute("aria-invalid", "true")
            field.focus()
            return
        self.error.textContent = ""
        email, password = str(self.email.value).strip(), str(self.password.value)
        try:
            body = await self.api.sign(self.mode, email, password)
        except Refused as error:
            self.error.textContent = str(error)
            return
        except ApiError as error:
            self.error.textContent = f"The server cannot be reached ({error}). Try again."
            return
        await self.signed_in(body)

    def dispose(self) -> None:
        self.listeners.dispose()
