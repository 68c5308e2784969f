"""The project dashboard: every project with its file count and when it was last opened,
most recent first; a search box; create (empty or from a template), import a zip or a
folder; per project: open, rename, duplicate, download as zip, delete.

Offline, the last list the server gave is drawn instead, each project marked as openable
(cached in this browser) or "unavailable offline"; back online, it asks the server again.
The list is drawn once per answer from the server; typing in the search box only hides
rows, so filtering costs no request and no redraw. Clicks reach one listener on the list
(rows say what they are with data-action), and each row's "⋯" menu is a PopupMenu.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from client.adapters.indexeddb import IndexedDbStore, StorageUnavailable
from client.adapters.server_api import HttpServerApi
from client.core import offline_state
from client.core.ports import ApiError, Offline, Refused, SignedOut
from client.core.project_list import file_count, matches, name_problem, ordered
from client.core.tasks import spawn
from client.ffi import dom, modules
from client.ffi.events import Listeners
from client.ui.dashboard_import import ImportControls
from client.ui.dialogs import confirm
from client.ui.popup_menu import MenuItem, PopupMenu
from client.ui.project_rows import RenameEditor, new_project_form, project_row, refresh_time

_TICK_SECONDS = 30  # "3 minutes ago" stays true while the page stays open


def _reason(error: ApiError) -> str:
    """What to tell the person: the server's own words for a refusal."""
    if isinstance(error, Refused):
        return str(error)
    if isinstance(error, Offline):
        return "The server cannot be reached. Check the connection and try again."
    if isinstance(error, SignedOut):
        return "Your session has ended: reload the page and sign in again."
    return f"The server failed ({error}). Try again."


class Dashboard:
    def __init__(
        self, root: Any, api: HttpServerApi, open_project: Callable[[str], None], user_id: str = ""
    ) -> None:
        modules.use_styles("dashboard")
        self.api, self.open_project = api, open_project
        self.list_key = offline_state.list_key(user_id) if user_id else ""
        self.unavailable: set[str] = set()  # offline: projects with no copy in this browser
        self.listeners = Listeners()
        self.projects: list[dict[str, Any]] = []
        self.menus: list[PopupMenu] = []
        self.renaming: RenameEditor | None = None
        self.loaded = False
        page = dom.element(
            "section", class_="dashboard card", id="dashboard", aria_labelledby="dashboard-title"
        )
        head = dom.element("div", class_="dash-head")
        self.importer = ImportControls(api, self.listeners, self._imported, self._say, self._fail)
        head.append(dom.element("h1", "Your projects", id="dashboard-title"), self.importer.node)
        self.template = dom.element("select", name="template", aria_label="Template")
        self.template.append(dom.element("option", "Empty project", value=""))
        form, self.name = new_project_form(self.template)
        self.error = dom.element("p", class_="form-error", role="alert", id="dashboard-error")
        self.notice = dom.element(
            "p", class_="dash-notice muted", role="status", id="dashboard-status"
        )
        tools = dom.element("div", class_="dash-tools")
        self.search = dom.element(
            "input",
            type="search",
            id="project-search",
            placeholder="Search projects",
            aria_label="Search projects",
            aria_controls="project-list",
            autocomplete="off",
        )
        self.count = dom.element("span", class_="muted", id="project-count", aria_live="polite")
        tools.append(self.search, self.count)
        self.list = dom.element(
            "ul", class_="project-list", id="project-list", aria_label="Projects"
        )
        self.empty = dom.element(
            "p", "Loading projects…", class_="dash-empty muted", id="project-empty"
        )
        page.append(head, form, self.error, self.notice, tools, self.list, self.empty)
        root.replaceChildren(page)
        self.listeners.on(form, "submit", self._create)
        self.listeners.on(self.name, "input", lambda _e: self._clear_error())
        self.listeners.on(self.search, "input", lambda _e: self._filter())
        self.listeners.on(self.list, "click", self._clicked)
        self.listeners.on(
            dom.window(), "online", lambda _e: spawn(self.refresh(), "refresh the project list")
        )
        self.ticker = spawn(self._tick(), "keep the project times current")
        spawn(self.refresh(), "load the project list")

    # ------------------------------------------------------------------ loading

    async def refresh(self, focus: str | None = None) -> None:
        """Ask the server for the list (and the templates, once); `focus`: a project id
        whose name gets the focus afterwards (a new copy, an import)."""
        try:
            if int(self.template.options.length) == 1:
                for template in (await self.api.call("GET", "/templates"))["templates"]:
                    self.template.append(
                        dom.element("option", template["name"], value=template["id"])
                    )
            projects = (await self.api.call("GET", "/projects"))["projects"]
        except Offline:
            await self._show_offline()
            return
        except ApiError as error:
            self._fail(f"Cannot list your projects: {_reason(error)}")
            if not self.loaded:
                self.empty.textContent = "Your projects could not be loaded."
            return
        self.loaded = True
        self.projects = ordered(projects)
        self.unavailable = set()
        dom.set_state("dashboard", "online")
        if self.list_key:
            dom.local_set(self.list_key, offline_state.list_record(self.projects))
        self.render()
        if focus:
            button = self.list.querySelector(f'li[data-project-id="{focus}"] .project-name')
            if dom.present(button):
                button.focus()

    async def _show_offline(self) -> None:
        """The last list from the server, each project openable only if cached here."""
        known = offline_state.remembered_list(
            dom.local_get(self.list_key) if self.list_key else None
        )
        try:
            cached = await IndexedDbStore().project_ids()
        except StorageUnavailable:
            cached = set()
        rows = offline_state.offline_projects(known, cached)
        self.loaded = True
        self.projects = [project for project, _ in rows]
        self.unavailable = {str(project["id"]) for project, here in rows if not here}
        dom.set_state("dashboard", "offline")
        self._say(
            "You are offline: projects stored in this browser open and keep your "
            "edits; they sync when the connection is back."
        )
        self.render()

    def render(self) -> None:
        for menu in self.menus:
            menu.dispose()
        self.menus = []
        if self.renaming is not None:
            self.renaming.abandon()  # its row is about to be replaced
            self.renaming = None
        rows = []
        for project in self.projects:
            row, menu_button = project_row(project, str(project["id"]) in self.unavailable)
            self.menus.append(
                PopupMenu(
                    menu_button,
                    partial(self._menu_items, project),
                    f"Actions for {project['name']}",
                )
            )
            rows.append(row)
        self.list.replaceChildren(*rows)
        self._filter()

    def _filter(self) -> None:
        query = str(self.search.value)
        shown = 0
        for row, project in zip(self._rows(), self.projects, strict=False):
            hit = matches(str(project["name"]), query)
            row.hidden = not hit
            shown += hit
        total = len(self.projects)
        if not total:
            self.empty.textContent = (
                "No projects yet. Create one above, or import a zip or a folder."
            )
        elif not shown:
            self.empty.textContent = f"No project matches “{query.strip()}”."
        else:
            self.empty.textContent = ""
        self.empty.hidden = not self.empty.textContent
        if query.strip():
            self.count.textContent = f"{shown} of {total}"
        else:  # nothing to count in an empty list: the empty-state text says it
            self.count.textContent = f"{total} project{'' if total == 1 else 's'}" if total else ""

    def _rows(self) -> list[Any]:
        return list(self.list.querySelectorAll("li.project-row"))

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(_TICK_SECONDS)
            for node in self.list.querySelectorAll("time[data-stamp]"):
                refresh_time(node)

    # ------------------------------------------------------------------ messages

    def _say(self, text: str) -> None:
        self.error.textContent = ""
        self.notice.textContent = text

    def _fail(self, text: str) -> None:
        self.notice.textContent = ""
        self.error.textContent = text

    def _clear_error(self) -> None:
        self.error.textContent = ""
        self.name.removeAttribute("aria-invalid")

    # ------------------------------------------------------------------ create

    def _create(self, event: Any) -> None:
        event.preventDefault()
        spawn(self._create_async(), "create the project")

    async def _create_async(self) -> None:
        raw = str(self.name.value)
        problem = name_problem(raw)
        if problem:
            self._fail(problem)
            self.name.setAttribute("aria-invalid", "true")
            self.name.focus()
            return
        body: dict[str, Any] = {"name": raw.strip()}
        if str(self.template.value):
            body["template"] = str(self.template.value)
        try:
            project = await self.api.call("POST", "/projects", body)
        except ApiError as error:
            self._fail(f"Cannot create the project: {_reason(error)}")
            return
        self.open_project(project["id"])

    # ------------------------------------------------------------------ per project

    def _clicked(self, event: Any) -> None:
        target = event.target.closest("[data-action]")
        if dom.present(target) and str(target.getAttribute("data-action")) == "open":
            pid = str(target.getAttribute("data-project"))
            if pid in self.unavailable:
                self._fail(
                    "This project is not stored in this browser, so it cannot open "
                    "offline. It opens once the connection is back."
                )
                return
            self.open_project(pid)

    def _menu_items(self, project: dict[str, Any]) -> list[MenuItem]:
        pid = str(project["id"])
        return [
            MenuItem("Open", lambda: self.open_project(pid), id="project-open"),
            MenuItem("Rename…", lambda: self._rename(project), id="project-rename"),
            MenuItem(
                "Duplicate",
                lambda: spawn(self._duplicate(project), "duplicate the project"),
                id="project-duplicate",
            ),
            MenuItem(
                "Download as zip",
                href=self.api.url(f"/projects/{pid}/export"),
                download=True,
                id="project-download",
            ),
            MenuItem(
                "Delete…",
                lambda: spawn(self._delete(project), "delete the project"),
                id="project-delete",
                danger=True,
            ),
        ]

    def _row(self, pid: str) -> Any:
        row = self.list.querySelector(f'li[data-project-id="{pid}"]')
        return row if dom.present(row) else None

    def _rename(self, project: dict[str, Any]) -> None:
        row = self._row(str(project["id"]))
        if row is None:
            return
        if self.renaming is not None:
            self.renaming.cancel()

        async def save(name: str) -> str | None:
            try:
                updated = await self.api.call("PATCH", f"/projects/{project['id']}", {"name": name})
            except ApiError as error:
                return _reason(error)
            self._say(f"Renamed “{project['name']}” to “{updated['name']}”.")
            spawn(self.refresh(focus=str(project["id"])), "refresh the project list")
            return None

        def done() -> None:
            self.renaming = None

        self.renaming = RenameEditor(row, str(project["name"]), save, done)

    async def _duplicate(self, project: dict[str, Any]) -> None:
        self._say(f"Duplicating “{project['name']}”…")
        try:
            copy = await self.api.call("POST", f"/projects/{project['id']}/duplicate")
        except ApiError as error:
            self._fail(f"Cannot duplicate “{project['name']}”: {_reason(error)}")
            return
        await self.refresh(focus=str(copy["id"]))
        self._say(f"Duplicated “{project['name']}” as “{copy['name']}”.")

    async def _delete(self, project: dict[str, Any]) -> None:
        name = str(project["name"])
        sure = await confirm(
            "Delete project",
            f"Delete “{name}”? Its files and history are deleted from the "
            "server. This cannot be undone.",
            "Delete project",
            dialog_id="delete-dialog",
        )
        if not sure:
            return
        try:
            await self.api.call("DELETE", f"/projects/{project['id']}")
        except ApiError as error:
            self._fail(f"Cannot delete “{name}”: {_reason(error)}")
            return
        await self.refresh()
        self._say(f"Deleted “{name}”.")
        self.search.focus()  # the row that had the focus is gone

    def _imported(self, project: dict[str, Any], skipped: list[str]) -> None:
        count = file_count(int(project.get("file_count") or 0))
        note = ""
        if skipped:
            sample = ", ".join(skipped[:3]) + ("…" if len(skipped) > 3 else "")
            note = f" Left out, as they never sync: {sample}"
        self._say(f"Imported “{project['name']}” ({count}).{note}")
        spawn(self.refresh(focus=str(project["id"])), "refresh the project list")

    def dispose(self) -> None:
        self.ticker.cancel()
        for menu in self.menus:
            menu.dispose()
        if self.renaming is not None:
            self.renaming.abandon()
        self.listeners.dispose()
