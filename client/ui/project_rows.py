"""One row of the project list, and the inline editor that renames it.

Names are user text: they are only ever set as textContent (dom.element), never parsed
as HTML, so a project named `<img src=x onerror=...>` shows exactly that.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from client.core.project_list import file_count, name_problem
from client.core.relative_time import ago, parse
from client.core.tasks import spawn
from client.ffi import dom, intl
from client.ffi.events import Listeners


def when_text(moment: datetime | None, opened: bool) -> str:
    if moment is None or not opened:
        return "not opened yet"  # the title still gives when it last changed
    return f"opened {ago(moment, datetime.now(UTC))}"


def time_node(project: dict[str, Any]) -> Any:
    """<time> with the words ("opened 3 minutes ago") and the exact local time as its title.
    data-stamp and data-opened let the dashboard refresh the words as time passes."""
    stamp = project.get("opened_at") or project.get("updated_at") or ""
    opened = bool(project.get("opened_at"))
    node = dom.element("time", when_text(parse(stamp), opened), class_="project-when")
    if stamp:
        node.setAttribute("datetime", stamp)
        verb = "Opened" if opened else "Changed"
        node.setAttribute("title", f"{verb} {intl.local_datetime(stamp)}")
        node.setAttribute("data-stamp", stamp)
        node.setAttribute("data-opened", "1" if opened else "")
    return node


def refresh_time(node: Any) -> None:
    stamp = str(node.getAttribute("data-stamp") or "")
    node.textContent = when_text(parse(stamp), bool(str(node.getAttribute("data-opened") or "")))


def new_project_form(*controls: Any) -> tuple[Any, Any]:
    """The form that creates a project, and its name field: the name, then `controls`
    (the dashboard's template choice), then Create."""
    form = dom.element("form", class_="new-project", id="new-project", novalidate="")
    name = dom.element(
        "input",
        name="name",
        placeholder="New project name",
        aria_label="New project name",
        autocomplete="off",
    )
    form.append(name, *controls, dom.element("button", "Create", type="submit"))
    return form, name


def open_button(pid: str, name: str) -> Any:
    """The project's name, as the button that opens it. data-action: the dashboard
    listens once on the list, not once per row."""
    return dom.element(
        "button",
        name,
        type="button",
        class_="link project-name",
        data_action="open",
        data_project=pid,
    )


def project_row(project: dict[str, Any], unavailable: bool = False) -> tuple[Any, Any]:
    """The row and its "⋯" button (the dashboard attaches the menu to it). `unavailable`:
    offline, and this project has no copy in this browser."""
    pid, name = str(project["id"]), str(project["name"])
    row = dom.element("li", class_="project-row", data_project_id=pid)
    if unavailable:
        row.classList.add("unavailable")
        row.setAttribute("data-offline", "unavailable")
    main = dom.element("div", class_="project-main")
    opener = open_button(pid, name)
    meta = dom.element("div", class_="project-meta muted")
    meta.append(
        dom.element(
            "span", file_count(int(project.get("file_count") or 0)), class_="project-files"
        ),
        dom.element("span", "·", aria_hidden="true"),
        time_node(project),
    )
    if unavailable:
        note = dom.element("span", "unavailable offline", class_="project-offline")
        meta.append(dom.element("span", "·", aria_hidden="true"), note)
        opener.setAttribute("aria-disabled", "true")
    main.append(opener, meta)
    menu_button = dom.element(
        "button",
        "⋯",
        type="button",
        class_="secondary project-menu",
        aria_label=f"Actions for {name}",
        title="Actions",
    )
    row.append(main, menu_button)
    return row, menu_button


class RenameEditor:
    """The name turns into a field: Enter saves, Escape cancels. A name the server would
    refuse is refused here with its reason, before any request; a refusal that still comes
    (the project was deleted elsewhere, the session ended) is shown the same way."""

    def __init__(
        self,
        row: Any,
        name: str,
        save: Callable[[str], Awaitable[str | None]],
        done: Callable[[], None],
    ) -> None:
        """`save(new_name)` returns None when saved, else the reason to show."""
        self.row, self.name, self.save, self.done = row, name, save, done
        self.listeners = Listeners()
        self.main = row.querySelector(".project-main")
        self.kept = list(self.main.childNodes)  # put back on cancel
        self.form = dom.element("form", class_="rename-form", novalidate="")
        self.input = dom.element(
            "input",
            name="rename",
            value=name,
            autocomplete="off",
            aria_label=f"New name for {name}",
            aria_describedby="rename-error",
        )
        self.error = dom.element(
            "p", class_="form-error row-error", role="alert", id="rename-error"
        )
        save_button = dom.element("button", "Save", type="submit")
        cancel = dom.element("button", "Cancel", type="button", class_="secondary")
        fields = dom.element("div", class_="rename-fields")
        fields.append(self.input, save_button, cancel)
        self.form.append(fields, self.error)
        self.main.replaceChildren(self.form)
        row.classList.add("renaming")
        self.listeners.on(self.form, "submit", self._submit)
        self.listeners.on(cancel, "click", lambda _e: self.cancel())
        self.listeners.on(self.input, "keydown", self._key)
        self.listeners.on(self.input, "input", lambda _e: self._problem(None))
        self.busy = False
        self.input.focus()
        self.input.select()

    def _key(self, event: Any) -> None:
        if str(event.key) == "Escape":
            event.preventDefault()
            self.cancel()

    def _problem(self, text: str | None) -> None:
        self.error.textContent = text or ""
        if text:
            self.input.setAttribute("aria-invalid", "true")
        else:
            self.input.removeAttribute("aria-invalid")

    def _submit(self, event: Any) -> None:
        event.preventDefault()
        if self.busy:
            return
        raw = str(self.input.value)
        problem = name_problem(raw)
        if problem:
            self._problem(problem)
            self.input.focus()
            return
        if raw.strip() == self.name:
            self.cancel()
            return
        spawn(self._save(raw.strip()), "rename the project")

    async def _save(self, name: str) -> None:
        self.busy = True
        self.input.setAttribute("aria-busy", "true")
        try:
            refusal = await self.save(name)
        finally:
            self.busy = False
            self.input.removeAttribute("aria-busy")
        if refusal is not None:
            self._problem(refusal)
            self.input.focus()
            return
        self.close()

    def cancel(self) -> None:
        self.main.replaceChildren(*self.kept)
        self.close()
        button = self.row.querySelector(".project-name")
        if dom.present(button):
            button.focus()

    def abandon(self) -> None:
        """The row is being redrawn: just let go of the listeners."""
        self.listeners.dispose()

    def close(self) -> None:
        self.row.classList.remove("renaming")
        asyncio.get_event_loop().call_soon(self.listeners.dispose)  # we may be inside one
        self.done()
