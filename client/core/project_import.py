"""Importing a folder or a zip as a new project: what to send, decided before any byte is
read or sent.

A picked folder arrives as a flat list of files named by their path below the folder the
user chose ("app/src/main.py"). The server has one atomic way to make a project from many
files, the zip import (POST /api/projects/import), so the folder is packed into a zip here:
either every file lands or none does, and no half-made project is left behind on failure.
Ignored paths (node_modules/, .git/, ...) are dropped before their content is read: a
folder with a node_modules of 50,000 files costs a list walk, not 50,000 reads.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from client.core.project_list import NAME_MAX
from contract.rules import PathError, SyncRules, folded

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed stamps: the same folder gives the same zip


@dataclass
class FolderPlan:
    name: str  # the chosen folder's name, used as the project's name
    files: list[tuple[int, str]] = field(default_factory=list)  # (index picked, project path)
    skipped: list[str] = field(default_factory=list)  # ignored paths, never read
    problems: list[str] = field(default_factory=list)  # reasons the server would refuse
    total_bytes: int = 0


def plan_folder(picked: list[tuple[str, int]], rules: SyncRules) -> FolderPlan:
    """`picked`: (path relative to the chosen folder's parent, size) per file, as the
    browser gives them for <input webkitdirectory>."""
    top = picked[0][0].split("/", 1)[0] if picked else ""
    plan = FolderPlan(name=top.strip()[:NAME_MAX] or "Imported folder")
    seen: dict[str, str] = {}
    for index, (raw, size) in enumerate(picked):
        relative = raw.split("/", 1)[1] if "/" in raw else raw
        # Checked below the chosen folder: a folder named "build" is a project, not junk.
        if rules.ignored(relative):
            plan.skipped.append(relative)
            continue
        try:
            path = rules.normalise(relative)
        except PathError as error:
            plan.problems.append(f"{relative}: {error}")
            continue
        if size > rules.max_file_bytes:
            plan.problems.append(f"{path} is larger than {rules.max_file_bytes:,} bytes")
            continue
        twin = seen.setdefault(folded(path), path)
        if twin != path:
            plan.problems.append(f"{path} and {twin} differ only by case")
            continue
        plan.files.append((index, path))
        plan.total_bytes += size
    if len(plan.files) > rules.max_project_files:
        plan.problems.append(f"the folder has more than {rules.max_project_files:,} files")
    if plan.total_bytes > rules.max_project_bytes:
        plan.problems.append(f"the folder holds more than {rules.max_project_bytes:,} bytes")
    if not plan.files and not plan.problems:
        plan.problems.append(
            "the folder has no files to import" + (" (only ignored ones)" if plan.skipped else "")
        )
    return plan


def name_for_zip(filename: str) -> str:
    """A project name from an uploaded zip's file name: "my-app.zip" -> "my-app"."""
    base = filename.rsplit("/", 1)[-1]
    if base.lower().endswith(".zip"):
        base = base[:-4]
    return base.strip()[:NAME_MAX].strip() or "Imported project"


class ZipWriter:
    """A zip built one file at a time, so the caller can yield to the page between files."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w", zipfile.ZIP_DEFLATED)

    def add(self, path: str, data: bytes) -> None:
        info = zipfile.ZipInfo(path, date_time=_ZIP_EPOCH)
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        # Level 1: most of the size gain at a fraction of the time, on the page's thread.
        self._zip.writestr(info, data, compresslevel=1)

    def finish(self) -> bytes:
        self._zip.close()
        return self._buffer.getvalue()
