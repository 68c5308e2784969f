"""Change password: current, new, and the new one again. Mistakes we can see are named at
their field before any request; the server's refusal (a wrong current password, too many
attempts) is shown at the field it names."""

from __future__ import annotations

from typing import Any

from client.adapters.server_api import HttpServerApi
from client.core.ports import ApiError, Offline, Refused
from client.core.tasks import spawn
from client.ffi import dom
from client.ui.auth_view import MIN_PASSWORD
from client.ui.dialogs import Dialog

MAX_PASSWORD = 1024  # the server's passwords.MAX_LENGTH


class PasswordDialog:
    def __init__(self, api: HttpServerApi) -> None:
        self.api = api
        self.busy = False
        self.dialog = Dialog("Change password", "password-dialog")
        self.form = dom.element("form", class_="modal-form", id="password-form", novalidate="")
        self.current = self._field("Current password", "current_password", "current-password")
        self.new = self._field("New password", "new_password", "new-password")
        self.again = self._field("Confirm new password", "confirm_password", "new-password")
        self.error = dom.element("p", class_="form-error", role="alert", id="password-error")
        self.form.append(self.error)
        # The form lives in the body; its submit button sits in the action row (form=).
        self.form_id = "password-form"
        self.dialog.body.append(self.form)
        self.dialog.button(
            "Cancel", self.dialog.close, kind="secondary", button_id="password-cancel"
        )
        self.submit = self.dialog.button(
            "Change password", lambda: None, submit=True, button_id="password-submit"
        )
        self.submit.setAttribute("form", self.form_id)
        self.dialog.listeners.on(self.form, "submit", self._submitted)
        self.dialog.show(focus=self.current)

    def _field(self, label: str, name: str, autocomplete: str) -> Any:
        row = dom.element("label", class_="modal-field")
        row.append(dom.element("span", label))
        field = dom.element(
            "input", type="password", name=name, autocomplete=autocomplete, required=""
        )
        row.append(field)
        self.form.append(row)
        return field

    def _say(self, text: str, field: Any = None) -> None:
        for each in (self.current, self.new, self.again):
            each.removeAttribute("aria-invalid")
        self.error.textContent = text
        if field is not None:
            field.setAttribute("aria-invalid", "true")
            field.focus()

    def _problem(self) -> tuple[str, Any] | None:
        current, new, again = (str(f.value) for f in (self.current, self.new, self.again))
        if not current:
            return "Enter your current password.", self.current
        if len(new) < MIN_PASSWORD:
            return f"Choose a new password of {MIN_PASSWORD} characters or more.", self.new
        if len(new) > MAX_PASSWORD:
            return f"A password can have at most {MAX_PASSWORD} characters.", self.new
        if new == current:
            return "The new password is the same as the current one.", self.new
        if again != new:
            return "The two new passwords differ: type the same one twice.", self.again
        return None

    def _submitted(self, event: Any) -> None:
        event.preventDefault()
        if self.busy:
            return
        problem = self._problem()
        if problem is not None:
            self._say(*problem)
            return
        spawn(self._send(), "change the password")

    async def _send(self) -> None:
        self.busy = True
        self.submit.disabled = True
        self._say("")
        try:
            await self.api.call(
                "POST",
                "/auth/password",
                {
                    "current_password": str(self.current.value),
                    "new_password": str(self.new.value),
                },
            )
        except Refused as error:
            field = {"current_password": self.current, "new_password": self.new}.get(
                str(error.details.get("field"))
            )
            self._say(str(error), field)
            return
        except Offline:
            self._say("The server cannot be reached. Your password is unchanged.")
            return
        except ApiError as error:
            self._say(f"The server failed ({error}). Your password is unchanged.")
            return
        finally:
            self.busy = False
            self.submit.disabled = False
        self._done()

    def _done(self) -> None:
        """Say it worked, in the dialog, so it is not missed; one button closes it."""
        self.form.remove()
        self.dialog.actions.replaceChildren()
        self.dialog.body.append(
            dom.element(
                "p",
                "Your password is changed. Other devices signed in to this account must "
                "sign in again with the new one.",
                role="status",
                id="password-done",
            )
        )
        close = self.dialog.button("Done", self.dialog.close, button_id="password-close")
        close.focus()
