"""The project list: open a project, or create one (empty or from a template)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from client.adapters.server_api import HttpServerApi
from client.core.ports import ApiError
from client.ffi import dom
from client.ffi.events import Listeners


class Dashboard:
    def __init__(self, root: Any, api: HttpServerApi, open_project: Callable[[str], None]) -> None:
        self.api, self.open_project = api, open_project
        self.listeners = Listeners()
        self.root = root
        page = dom.element("section", class_="dashboard card", id="dashboard")
        page.append(dom.element("h1", "Your projects"))
        form = dom.element("form", class_="new-project", id="new-project")
        self.name = dom.element("input", name="name", placeholder="New project name",
                                maxlength="100", required="")  # fmt: skip
        self.template = dom.element("select", name="template")
        self.template.append(dom.element("option", "Empty project", value=""))
        form.append(self.name, self.template, dom.element("button", "Create", type="submit"))
        self.error = dom.element("p", class_="form-error", role="alert")
        self.list = dom.element("ul", class_="project-list", id="project-list")
        page.append(form, self.error, self.list)
        root.replaceChildren(page)
        self.listeners.on(form, "submit", self._create)
        asyncio.ensure_future(self.refresh())

    async def refresh(self) -> None:
        try:
            templates = (await self.api.call("GET", "/templates"))["templates"]
            projects = (await self.api.call("GET", "/projects"))["projects"]
        except ApiError as error:
            self.error.textContent = f"Cannot list projects: {error}"
            return
        if int(self.template.options.length) == 1:
            for template in templates:
                self.template.append(dom.element("option", template["name"], value=template["id"]))
        items = []
        for project in projects:
            item = dom.element("li")
            button = dom.element("button", project["name"], class_="link",
                                 data_project=project["id"])  # fmt: skip
            self.listeners.on(button, "click", lambda _e, pid=project["id"]: self.open_project(pid))
            files = f"{project['file_count']} files"
            item.append(button, dom.element("span", files, class_="muted"))
            items.append(item)
        if not items:
            items.append(dom.element("li", "No projects yet: create one above.", class_="muted"))
        self.list.replaceChildren(*items)

    def _create(self, event: Any) -> None:
        event.preventDefault()
        asyncio.ensure_future(self._create_async())

    async def _create_async(self) -> None:
        name = str(self.name.value).strip()
        body: dict[str, Any] = {"name": name}
        if str(self.template.value):
            body["template"] = str(self.template.value)
        try:
            project = await self.api.call("POST", "/projects", body)
        except ApiError as error:
            self.error.textContent = str(error)
            return
        self.open_project(project["id"])

    def dispose(self) -> None:
        self.listeners.dispose()
