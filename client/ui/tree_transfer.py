"""Files in and out through the explorer: upload (desktop drop or Upload Files…), download
a file, a folder or a selection (zipped here, from what this tab holds), download the whole
project (zipped by the server), and Copy Path.

Uploads are checked whole first (client.core.file_ops.plan_upload: sizes, names, case
twins, the project's file limit), then read one file at a time; a refused file is named
with its reason and the others still arrive.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any

from client.core.names import count, inside, name_of, parent_of
from client.core.tasks import spawn
from client.ffi import transfer

if TYPE_CHECKING:
    from client.ui.file_tree import FileTree
    from client.ui.tree_actions import TreeActions


class TreeTransfer:
    def __init__(self, tree: FileTree, actions: TreeActions) -> None:
        self.tree, self.actions, self.bench, self.view = tree, actions, tree.bench, tree.view

    def upload_picked(self, input_element: Any) -> None:
        incoming = transfer.picked(input_element)
        spawn(self.upload(incoming, self.view.target_folder()), "upload the files")

    async def upload(self, incoming: transfer.Incoming, target: str) -> None:
        if self.actions.refused("upload"):  # a desktop drop on a read-only tree
            return
        entries = incoming.entries()
        plan = self.actions.ops.plan_upload(entries, target)
        where = {relative: i for i, (relative, _size) in enumerate(entries)}
        written: list[str] = []
        for relative, path in plan.accepted:
            content = await incoming.read(where[relative])
            self.actions.ops.write_upload(path, content)
            written.append(path)
        if written:
            self.actions.edited(written)
            self.tree.refresh()
            self.tree.reveal(written[0])
        parts = []
        if written or not plan.refused:
            replaced = f" ({plan.replaced} replaced)" if plan.replaced else ""
            parts.append(f"Uploaded {count(len(written), 'file')}{replaced}.")
        for name, reason in plan.refused:
            parts.append(f"Not uploaded: {name}: {reason}")
        message = " ".join(parts)
        self.actions.toast.show(message)
        self.bench.notify(message, "error" if plan.refused else "info")

    def download(self) -> None:
        targets = self.view.targets()
        files = self.bench.model.files
        if not targets:
            spawn(self.download_zip(), "download the project")
        elif len(targets) == 1 and targets[0] in files:
            transfer.save_bytes(name_of(targets[0]), files[targets[0]].content)
        else:  # folders or several: one zip, made here from what this tab holds
            chosen = sorted(p for p in files if any(inside(p, t) for t in targets))
            base = parent_of(targets[0]) if len(targets) == 1 else ""
            name = name_of(targets[0]) if len(targets) == 1 else "files"
            self._zip_here(chosen, base, name)

    def _zip_here(self, chosen: list[str], base: str, name: str) -> None:
        """A zip of these files as this tab holds them, saved as NAME.zip."""
        files = self.bench.model.files
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in chosen:
                archive.writestr(path[len(base) + 1 :] if base else path, files[path].content)
        transfer.save_bytes(f"{name}.zip", buffer.getvalue(), "application/zip")

    async def download_zip(self) -> None:
        """The whole project, zipped by the server (GET .../export). Pending edits are
        pushed first, so the zip holds what is on screen. An embed has no server project
        (its API is in memory): its zip is made here from what the page holds."""
        export = self.bench.export_url()
        if export is None:
            self._zip_here(sorted(self.bench.model.files), "", "project")
            return
        if self.bench.syncing.pending():
            self.bench.notify("Saving before the download…", "info")
            await self.bench.syncing.push()
        transfer.save_url(export)

    def copy_path(self) -> None:
        targets = self.view.targets()
        if targets:
            spawn(self._copy_text("\n".join(targets)), "copy the paths")

    async def _copy_text(self, text: str) -> None:
        if await transfer.copy_text(text):
            self.bench.notify(
                f"Copied {text.splitlines()[0]}{' and more' if chr(10) in text else ''}.", "info"
            )
        else:
            self.bench.notify("The browser refused the clipboard.", "error")
