"""The dashboard's "Import zip" and "Import folder" buttons.

Both end in one request to POST /api/projects/import (a zip body, a new project), which
the server checks whole and applies in one transaction. A folder is packed into a zip
here first (client.core.project_import explains why); what the server would refuse in it
is said before anything is read or sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from client.adapters.server_api import HttpServerApi
from client.core.ports import ApiError, Offline, Refused
from client.core.project_import import ZipWriter, name_for_zip, plan_folder
from client.core.project_list import name_problem
from client.core.tasks import spawn
from client.ffi import dom
from client.ffi.events import Listeners
from client.ffi.files import PickedFiles
from contract import rules as sync_rules

_SHOWN_PROBLEMS = 3


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


class ImportControls:
    def __init__(
        self,
        api: HttpServerApi,
        listeners: Listeners,
        imported: Callable[[dict[str, Any], list[str]], None],
        say: Callable[[str], None],
        fail: Callable[[str], None],
    ) -> None:
        """imported(project, skipped paths); say(progress text); fail(reason)."""
        self.api, self.imported, self.say, self.fail = api, imported, say, fail
        self.rules = sync_rules.load()
        self.node = dom.element("div", class_="import-actions")
        # The file inputs stay hidden behind ordinary buttons (a file input cannot be styled).
        self.zip_input, self.folder_input = (
            dom.element(
                "input", type="file", class_="hidden-input", tabindex="-1", aria_hidden="true", **a
            )
            for a in (
                {"id": "import-zip", "accept": ".zip,application/zip"},
                {"id": "import-folder", "webkitdirectory": "", "multiple": ""},
            )
        )
        self.zip_button = dom.element(
            "button", "Import zip", type="button", class_="secondary", id="import-zip-button"
        )
        self.folder_button = dom.element(
            "button", "Import folder", type="button", class_="secondary", id="import-folder-button"
        )
        self.node.append(self.zip_button, self.folder_button, self.zip_input, self.folder_input)
        listeners.on(self.zip_button, "click", lambda _e: self.zip_input.click())
        listeners.on(self.folder_button, "click", lambda _e: self.folder_input.click())
        listeners.on(self.zip_input, "change", lambda _e: self._start(self.zip_input, self._zip))
        listeners.on(
            self.folder_input, "change", lambda _e: self._start(self.folder_input, self._folder)
        )

    def _start(self, source: Any, job: Callable[[PickedFiles], Any]) -> None:
        picked = PickedFiles(source)
        if len(picked):
            spawn(self._run(job, picked), "import the files")

    async def _run(self, job: Callable[[PickedFiles], Any], picked: PickedFiles) -> None:
        self._busy(True)
        try:
            await job(picked)
        finally:
            picked.close()
            self._busy(False)

    def _busy(self, busy: bool) -> None:
        for button in (self.zip_button, self.folder_button):
            button.disabled = busy
        self.node.setAttribute("aria-busy", "true" if busy else "false")

    async def _zip(self, picked: PickedFiles) -> None:
        filename, size = picked.entries()[0]
        if size > self.rules.max_request_bytes:
            self.fail(
                f"{filename} is larger than {_mb(self.rules.max_request_bytes)}, the most "
                "one upload may carry."
            )
            return
        self.say(f"Uploading {filename}…")
        await self._send(name_for_zip(filename), await picked.read(0))

    async def _folder(self, picked: PickedFiles) -> None:
        plan = plan_folder(picked.entries(), self.rules)
        if plan.problems:
            shown = "; ".join(plan.problems[:_SHOWN_PROBLEMS])
            more = len(plan.problems) - _SHOWN_PROBLEMS
            self.fail(
                f"Cannot import the folder “{plan.name}”: {shown}"
                + (f" (and {more} more)." if more > 0 else ".")
            )
            return
        writer = ZipWriter()
        for done, (index, path) in enumerate(plan.files, 1):
            writer.add(path, await picked.read(index))
            if done % 20 == 0:
                self.say(f"Packing “{plan.name}”: {done} of {len(plan.files)} files…")
                await asyncio.sleep(0)  # let the page paint between batches
        data = writer.finish()
        if len(data) > self.rules.max_request_bytes:
            self.fail(
                f"The folder packs to {_mb(len(data))}, more than the "
                f"{_mb(self.rules.max_request_bytes)} one upload may carry."
            )
            return
        self.say(f"Uploading “{plan.name}” ({len(plan.files)} files)…")
        await self._send(plan.name, data, plan.skipped)

    async def _send(self, name: str, data: bytes, skipped: list[str] | None = None) -> None:
        if name_problem(name):
            name = "Imported project"
        path = f"/projects/import?name={quote(name, safe='')}"
        try:
            body = await self.api.send_bytes("POST", path, data, "application/zip")
        except Refused as error:
            self.fail(f"Import refused: {error}")
            return
        except Offline:
            self.fail("The server cannot be reached; nothing was imported. Try again.")
            return
        except ApiError as error:
            self.fail(f"Import failed: {error}")
            return
        self.imported(body["project"], list(skipped or []) + list(body.get("skipped") or []))
