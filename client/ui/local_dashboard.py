"""The project list of a static-only site (`build.py --static-only`): projects live in
this browser only (names in localStorage, files in IndexedDB). Create, open, delete; no
accounts, templates, import or sync, and a banner that says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from client.adapters.indexeddb import IndexedDbStore
from client.core import local_projects
from client.core.project_list import name_problem
from client.core.tasks import spawn
from client.ffi import dom, modules
from client.ffi.events import Listeners
from client.ui.dialogs import confirm
from client.ui.project_rows import new_project_form, open_button

NOTICE = (
    "This copy of the IDE runs without a server: projects are stored in this browser "
    "only (no accounts, no sync). Clearing the site's data deletes them."
)


def show_static_banner() -> None:
    """Once per page: the header says where the work lives."""
    slot = dom.by_id("account-slot")
    if slot is not None and not dom.present(slot.querySelector("#static-banner")):
        banner = dom.element(
            "span",
            "Local only: projects stay in this browser",
            id="static-banner",
            class_="static-banner",
            title=NOTICE,
        )
        slot.append(banner)


class LocalDashboard:
    def __init__(self, root: Any, open_project: Callable[[str], None]) -> None:
        modules.use_styles("dashboard")
        self.open_project = open_project
        self.listeners = Listeners()
        page = dom.element(
            "section", class_="dashboard card", id="dashboard", aria_labelledby="dashboard-title"
        )
        head = dom.element("div", class_="dash-head")
        head.append(dom.element("h1", "Projects in this browser", id="dashboard-title"))
        note = dom.element("p", NOTICE, class_="dash-notice muted", id="static-notice", role="note")
        form, self.name = new_project_form()
        self.error = dom.element("p", class_="form-error", role="alert", id="dashboard-error")
        self.list = dom.element(
            "ul", class_="project-list", id="project-list", aria_label="Projects"
        )
        self.empty = dom.element(
            "p", "No projects yet. Create one above.", class_="dash-empty muted", id="project-empty"
        )
        page.append(head, note, form, self.error, self.list, self.empty)
        root.replaceChildren(page)
        self.listeners.on(form, "submit", self._create)
        self.listeners.on(self.list, "click", self._clicked)
        dom.set_state("dashboard", "local")
        self.render()

    def render(self) -> None:
        rows = []
        for project in local_projects.read(dom.local_get(local_projects.KEY)):
            pid, name = str(project["id"]), str(project["name"])
            row = dom.element("li", class_="project-row", data_project_id=pid)
            main = dom.element("div", class_="project-main")
            main.append(open_button(pid, name))
            delete = dom.element(
                "button",
                "Delete",
                type="button",
                class_="secondary",
                data_action="delete",
                data_project=pid,
                aria_label=f"Delete {name}",
            )
            row.append(main, delete)
            rows.append(row)
        self.list.replaceChildren(*rows)
        self.empty.hidden = bool(rows)

    def _create(self, event: Any) -> None:
        event.preventDefault()
        raw = str(self.name.value)
        problem = name_problem(raw)
        if problem:
            self.error.textContent = problem
            self.name.focus()
            return
        pid, saved = local_projects.added(dom.local_get(local_projects.KEY), raw)
        if not dom.local_set(local_projects.KEY, saved):
            self.error.textContent = "This browser refuses to store data for this site."
            return
        dom.local_set(f"cospai-project-name-{pid}", raw.strip())
        self.open_project(pid)

    def _clicked(self, event: Any) -> None:
        target = event.target.closest("[data-action]")
        if not dom.present(target):
            return
        pid = str(target.getAttribute("data-project"))
        if str(target.getAttribute("data-action")) == "open":
            self.open_project(pid)
        else:
            spawn(self._delete(pid), "delete the project")

    async def _delete(self, pid: str) -> None:
        raw = dom.local_get(local_projects.KEY)
        name = local_projects.name_of(raw, pid) or pid
        sure = await confirm(
            "Delete project",
            f"Delete “{name}” and its files from this browser? This cannot be undone.",
            "Delete project",
            dialog_id="delete-dialog",
        )
        if not sure:
            return
        await IndexedDbStore().delete(pid)
        dom.local_set(local_projects.KEY, local_projects.removed(raw, pid))
        self.render()

    def dispose(self) -> None:
        self.listeners.dispose()
