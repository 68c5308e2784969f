"""Is this name acceptable here? Checked as the user types a new name or drops a row, so
every refusal is a sentence shown under the input, before any request is made.

The rules are the server's (rules.py) plus what a disk needs: two names in one folder
that differ only by case are one file on macOS and Windows, so they are duplicates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from contract.rules import PathError, SyncRules


class NameRefused(ValueError):
    """The name or move cannot be done; str(error) is a sentence for the user."""


def join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def parent_of(path: str) -> str:
    return path.rpartition("/")[0]


def name_of(path: str) -> str:
    return path.rpartition("/")[2]


def inside(path: str, folder: str) -> bool:
    """True when `path` is `folder` itself or anything under it ('' holds everything)."""
    return folder == "" or path == folder or path.startswith(folder + "/")


def where(folder: str) -> str:
    return f"“{folder}”" if folder else "the project root"


def validate_name(
    name: str,
    rules: SyncRules,
    parent: str = "",
    siblings: Iterable[str] = (),
    current: str | None = None,
) -> str:
    """The name as it will be stored (Unicode NFC, like every path), or NameRefused.

    `siblings` are the names already in `parent` (files and folders); `current` is the
    name being renamed, which may change its own case.
    """
    if name.strip() == "":
        raise NameRefused("A file or folder name must be provided.")
    if name != name.strip():
        raise NameRefused("A name cannot start or end with a space.")
    if "/" in name:
        raise NameRefused("A name cannot contain “/”; create one folder at a time.")
    if "\\" in name:
        raise NameRefused("A name cannot contain a backslash (“\\”).")
    if name in {".", ".."}:
        raise NameRefused(f"The name “{name}” is not allowed.")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise NameRefused("A name cannot contain control characters (tabs, new lines, …).")
    name = unicodedata.normalize("NFC", name)
    size = len(name.encode("utf-8", "surrogatepass"))
    if size > rules.max_segment_bytes:
        raise NameRefused(
            f"The name is too long: {size} bytes, at most {rules.max_segment_bytes} are allowed."
        )
    path = join(parent, name)
    if len(path.encode("utf-8", "surrogatepass")) > rules.max_path_bytes:
        raise NameRefused(f"The full path would be longer than {rules.max_path_bytes} bytes.")
    try:
        rules.normalise(path)  # whatever else the server would refuse
    except PathError as error:
        raise NameRefused(f"That name cannot be used: {error}.") from None
    key = name.casefold()
    keep = current.casefold() if current is not None else None
    for sibling in siblings:
        folded = sibling.casefold()
        if folded == key and folded != keep:
            raise NameRefused(
                f"A file or folder “{sibling}” already exists in {where(parent)}"
                f"{' (names differ only by case)' if sibling != name else ''}."
            )
    return name


def validate_move(source: str, target: str, is_folder: bool) -> None:
    """A folder cannot go into itself or its own sub-folders."""
    if is_folder and inside(target, source):
        raise NameRefused(f"Cannot move “{name_of(source)}” into itself.")


def copy_name(name: str, taken: Iterable[str], is_folder: bool = False) -> str:
    """A free name for a copy, as VS Code does: 'a.txt' -> 'a copy.txt', then
    'a copy 2.txt', 'a copy 3.txt'... (folders have no extension). `taken` is compared
    case-insensitively. A name still free is kept as it is."""
    folded = {t.casefold() for t in taken}
    if name.casefold() not in folded:
        return name
    stem, ext = name, ""
    dot = name.rfind(".")
    if not is_folder and dot > 0:
        stem, ext = name[:dot], name[dot:]
    base = _without_copy_suffix(stem)
    number = 1
    while True:
        suffix = " copy" if number == 1 else f" copy {number}"
        candidate = f"{base}{suffix}{ext}"
        if candidate.casefold() not in folded:
            return candidate
        number += 1


def _without_copy_suffix(stem: str) -> str:
    """'a copy 3' -> 'a', so a copy of a copy counts on instead of growing 'copy copy'."""
    head, sep, tail = stem.rpartition(" copy")
    if sep and head and (tail == "" or (tail[:1] == " " and tail[1:].isdigit())):
        return head
    return stem


def count(n: int, what: str) -> str:
    """'1 file', '3 files': counts in messages."""
    return f"{n} {what}{'' if n == 1 else 's'}"
