"""Share: public, read-only links to the project's saved files, and the embed snippet.

A link serves a snapshot (the files as saved on the server when it was published) on the
separate share origin; "Update" republishes the files as saved now, "Revoke" removes the
link at once. The Embed tab builds the <iframe> snippet for a link (client/core/embed.py).
Pending edits are sent before publishing, so "saved" means what the editor shows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from client.core.embed import PANELS, THEMES, EmbedOptions, origin_of, snippet
from client.core.ports import ApiError
from client.core.tasks import spawn
from client.ffi import dom, host_page, modules
from client.ui.dialogs import Dialog
from client.ui.ports import Frame, ProjectFiles, Saving, Server

LINK_INTRO = (
    "Anyone with a link sees the project's saved files as a website (index.html at its "
    "root), read-only. Later edits show only after Update."
)
EMBED_INTRO = (
    "Put the project in another site: the snippet embeds the first link's files in an "
    "editor that runs them."
)


class ShareBench(ProjectFiles, Frame, Server, Saving, Protocol):
    """What sharing asks of the workbench: the server, and the edits sent before a link."""


class ShareDialog:
    def __init__(self, bench: ShareBench) -> None:
        modules.use_styles("share")
        self.bench = bench
        self.base = f"/projects/{bench.project_id}/shares"
        self.shares: list[dict[str, Any]] = []
        self.dialog = Dialog("Share", "share-dialog")
        self.dialog.node.classList.add("share-dialog")
        tabs = dom.element("div", class_="share-tabs", role="tablist")
        self.pages: dict[str, Any] = {}
        self.tab_buttons: dict[str, Any] = {}
        for name, label in (("link", "Link"), ("embed", "Embed")):
            button = dom.element(
                "button",
                label,
                type="button",
                role="tab",
                id=f"share-tab-{name}",
                class_="share-tab",
            )

            def shown(_e: Any, n: str = name) -> None:
                self.show_tab(n)

            self.dialog.listeners.on(button, "click", shown)
            tabs.append(button)
            self.tab_buttons[name] = button
            self.pages[name] = dom.element("div", class_="share-page", id=f"share-{name}")
        self.dialog.body.append(tabs, *self.pages.values())
        self._build_link_page()
        self._build_embed_page()
        self.dialog.button("Close", self.dialog.close, kind="secondary", button_id="share-close")
        self.show_tab("link")
        self.dialog.show(focus=self.create_button)
        spawn(self.reload(), "load the share links")

    def show_tab(self, name: str) -> None:
        for key, page in self.pages.items():
            page.hidden = key != name
            self.tab_buttons[key].setAttribute("aria-selected", "true" if key == name else "false")
        if name == "embed":
            self._render_snippet()

    # ------------------------------------------------------------ link tab

    def _build_link_page(self) -> None:
        page = self.pages["link"]
        page.append(dom.element("p", LINK_INTRO, class_="muted"))
        field = dom.element("label", class_="modal-field")
        field.append(dom.element("span", "Folder to publish (empty: the whole project)"))
        self.root_input = dom.element(
            "input",
            type="text",
            name="root",
            id="share-root",
            placeholder="e.g. public",
            autocomplete="off",
        )
        field.append(self.root_input)
        self.create_button = dom.element("button", "Create link", type="button", id="share-create")
        self.dialog.listeners.on(
            self.create_button, "click", lambda _e: spawn(self.create(), "create a share link")
        )
        row = dom.element("div", class_="share-create")
        row.append(field, self.create_button)
        self.message = dom.element("p", class_="share-message", id="share-message", role="status")
        self.list = dom.element("ul", class_="share-list", id="share-list")
        page.append(row, self.message, self.list)

    def _say(self, text: str, level: str = "info") -> None:
        self.message.textContent = text
        self.message.setAttribute("data-level", level)

    async def reload(self) -> None:
        try:
            body = await self.bench.api.call("GET", self.base)
        except ApiError as error:
            self._say(f"Cannot list the links: {error}", "error")
            return
        self.shares = list(body["shares"])
        self._render_list()

    def _render_list(self) -> None:
        rows = []
        for share in self.shares:
            row = dom.element("li", class_="share-row", data_token=share["token"])
            url = dom.element(
                "input", type="text", readonly="", class_="share-url", aria_label="Share link"
            )
            url.value = share["url"]
            where = f"/{share['root']}/" if share["root"] else "the whole project"
            state = "up to date" if share["current"] else "older than the saved files"
            info = dom.element(
                "span",
                f"Revision {share['revision']} · {where} · {state}",
                class_="share-info muted",
            )
            actions = dom.element("span", class_="share-actions")
            for label, css, action in (
                ("Copy", "share-copy secondary", lambda s=share: self._copy(s["url"])),
                (
                    "Open",
                    "share-open secondary",
                    lambda s=share: dom.window().open(s["url"], "_blank"),
                ),
                (
                    "Update to latest",
                    "share-update secondary",
                    lambda s=share: spawn(self.update(s["token"]), "update the share link"),
                ),
                (
                    "Revoke",
                    "share-revoke danger",
                    lambda s=share: spawn(self.revoke(s["token"]), "revoke the share link"),
                ),
            ):
                button = dom.element("button", label, type="button", class_=css)

                def clicked(_e: Any, act: Callable[[], object] = action) -> None:
                    act()

                self.dialog.listeners.on(button, "click", clicked)
                actions.append(button)
            row.append(url, info, actions)
            rows.append(row)
        if not rows:
            rows.append(dom.element("li", "No links yet.", class_="muted share-none"))
        self.list.replaceChildren(*rows)
        dom.set_state("share-links", str(len(self.shares)))

    def _copy(self, text: str) -> None:
        host_page.copy_text(text)
        self._say("Copied to the clipboard.")

    async def _saved(self) -> bool:
        """Send pending edits first; False (and says why) when some could not be sent."""
        syncing = self.bench.syncing
        syncing.save()
        for _ in range(200):
            await asyncio.sleep(0.05)
            if syncing.settled():
                return True
        self._say(
            "Some changes are not saved on the server yet; the link has the saved files only.",
            "error",
        )
        return False

    async def create(self) -> None:
        self.create_button.disabled = True
        try:
            await self._saved()
            root = str(self.root_input.value).strip()
            share = await self.bench.api.call("POST", self.base, {"root": root})
        except ApiError as error:
            self._say(f"No link was created: {error}", "error")
            return
        finally:
            self.create_button.disabled = False
        self.shares.insert(0, share)
        self._render_list()
        self._say("Link created.")

    async def update(self, token: str) -> None:
        try:
            await self._saved()
            share = await self.bench.api.call("POST", f"{self.base}/{token}/publish")
        except ApiError as error:
            self._say(f"The link was not updated: {error}", "error")
            return
        self.shares = [share if s["token"] == token else s for s in self.shares]
        self._render_list()
        self._say("The link now serves the files as saved now.")

    async def revoke(self, token: str) -> None:
        try:
            await self.bench.api.call("DELETE", f"{self.base}/{token}")
        except ApiError as error:
            self._say(f"The link was not revoked: {error}", "error")
            return
        self.shares = [s for s in self.shares if s["token"] != token]
        self._render_list()
        self._say("Revoked: the link no longer works.")

    # ------------------------------------------------------------ embed tab

    def _build_embed_page(self) -> None:
        page = self.pages["embed"]
        page.append(dom.element("p", EMBED_INTRO, class_="muted"))
        self.embed_file = dom.element("select", name="file", id="embed-file")
        self.embed_theme = dom.element("select", name="theme", id="embed-theme")
        for theme in THEMES:
            self.embed_theme.append(dom.element("option", theme.capitalize(), value=theme))
        self.embed_origins = dom.element(
            "input",
            type="text",
            name="origins",
            id="embed-origins",
            placeholder="https://your-site.example",
        )
        grid = dom.element("div", class_="embed-options")
        for label, control in (
            ("File to open", self.embed_file),
            ("Theme", self.embed_theme),
            ("Host page origins (postMessage)", self.embed_origins),
        ):
            field = dom.element("label", class_="modal-field")
            field.append(dom.element("span", label), control)
            grid.append(field)
        self.embed_panels: dict[str, Any] = {}
        checks = dom.element("div", class_="embed-checks")
        for name in PANELS:
            box = dom.element("input", type="checkbox", name=f"panel-{name}")
            box.checked = True
            self.embed_panels[name] = box
            label = dom.element("label")
            label.append(box, dom.document().createTextNode(f" {name}"))
            checks.append(label)
        self.embed_flags: dict[str, Any] = {}
        for name, text in (("readonly", "read-only"), ("run", "run on load")):
            box = dom.element("input", type="checkbox", name=name, id=f"embed-{name}")
            self.embed_flags[name] = box
            label = dom.element("label")
            label.append(box, dom.document().createTextNode(f" {text}"))
            checks.append(label)
        self.embed_code = dom.element(
            "textarea",
            readonly="",
            id="embed-snippet",
            rows="4",
            class_="embed-snippet",
            aria_label="Embed snippet",
        )
        copy = dom.element("button", "Copy snippet", type="button", id="embed-copy")
        self.dialog.listeners.on(copy, "click", lambda _e: self._copy(str(self.embed_code.value)))
        page.append(grid, checks, self.embed_code, copy)
        for control in (
            self.embed_file,
            self.embed_theme,
            self.embed_origins,
            *self.embed_panels.values(),
            *self.embed_flags.values(),
        ):
            self.dialog.listeners.on(control, "change", lambda _e: self._render_snippet())
            self.dialog.listeners.on(control, "input", lambda _e: self._render_snippet())

    def _render_snippet(self) -> None:
        files = sorted(self.bench.model.files)
        if int(self.embed_file.options.length) != len(files) + 1:
            choices = [dom.element("option", "(the default)", value="")]
            choices += [dom.element("option", path, value=path) for path in files]
            self.embed_file.replaceChildren(*choices)
        if not self.shares:
            self.embed_code.value = ""
            self.embed_code.placeholder = "Create a link on the Link tab first."
            return
        origins = tuple(
            o for o in (origin_of(x) for x in str(self.embed_origins.value).split(",")) if o
        )
        options = EmbedOptions(
            share=self.shares[0]["token"],
            file=str(self.embed_file.value) or None,
            read_only=bool(self.embed_flags["readonly"].checked),
            theme=str(self.embed_theme.value),
            panels=tuple(n for n in PANELS if self.embed_panels[n].checked) or PANELS,
            run=bool(self.embed_flags["run"].checked),
            origins=origins,
        )
        self.embed_code.value = snippet(str(dom.window().location.origin), options)


class ShareButton:
    """The header's Share button and the "Share…" command, while a project is open."""

    def __init__(self, bench: ShareBench) -> None:
        modules.use_styles("share")
        self.bench = bench
        self.node = dom.element(
            "button",
            "Share",
            type="button",
            id="share-button",
            class_="secondary",
            title="Share a link or embed the project",
        )
        self.bench.listeners.on(self.node, "click", lambda _e: self.open())
        slot = dom.by_id("header-actions")
        if slot is not None:
            slot.append(self.node)
        bench.commands.add("share.open", "Share…", self.open, (), "File")

    def open(self) -> None:
        ShareDialog(self.bench)

    def refresh(self) -> None:
        pass

    def dispose(self) -> None:
        self.node.remove()
