"""Requirement strings for `pip`: reading `-r requirements.txt` and naming a requirement.

Only what micropip understands is kept: one requirement per line (`rich`, `click>=8`,
`attrs==26.1.0`, `name[extra]`, markers after `;`). Comments, blank lines and pip's
per-line options (`--hash=...`) are dropped; `-r other.txt` nests, relative to the file.
Options that change where packages come from (`-i`, `-e`, `--find-links`) cannot be
honoured by micropip, so they are refused with the line rather than silently ignored.

A requirement string itself (name, extras, version, marker) is read by `packaging`, the
library pip and micropip read it with.
"""

from __future__ import annotations

import os
import re
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.requirements import Requirement


def _packaging() -> ModuleType:
    """packaging's modules, imported when first needed: in the runtime worker they come
    with micropip, which loads after the prompt is up (pip waits for it)."""
    try:
        import packaging.requirements
        import packaging.utils
    except ModuleNotFoundError:  # the runtime worker, which loads micropip only
        # micropip carries its own copy of packaging, the version it was tested with.
        import micropip._vendored.packaging.src.packaging as packaging  # type: ignore[import-not-found,no-redef]
        import micropip._vendored.packaging.src.packaging.requirements  # type: ignore[import-not-found]
        import micropip._vendored.packaging.src.packaging.utils  # type: ignore[import-not-found]  # noqa: F401
    return packaging


_REFUSED = ("-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links")


class RequirementsError(Exception):
    pass


def canonical(name: str) -> str:
    """PEP 503's normal form: `Typing_Extensions` and `typing-extensions` are one name."""
    return str(_packaging().utils.canonicalize_name(name))


def parse_requirement(spec: str) -> Requirement | None:
    """The requirement `spec` writes (PEP 508), or None for what is not one: a wheel's
    path, a URL, a typo (micropip says what is wrong with those)."""
    requirements = _packaging().requirements
    try:
        return requirements.Requirement(spec)
    except requirements.InvalidRequirement:
        return None


def requirement_name(spec: str) -> str | None:
    requirement = parse_requirement(spec)
    return requirement.name if requirement else None


def read_requirements(path: str, seen: frozenset[str] = frozenset()) -> list[str]:
    real = os.path.realpath(path)
    if real in seen:  # a file including itself would loop for ever
        return []
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        # strerror without the number: Emscripten's errno values differ from Linux's.
        reason = error.strerror or str(error)
        raise RequirementsError(f"Could not open requirements file: {reason}: {path!r}") from None
    found: list[str] = []
    for number, line in enumerate(text.replace("\\\n", "").splitlines(), 1):
        line = re.split(r"(^|\s)#", line, maxsplit=1)[0].strip()
        if not line:
            continue
        nested = re.fullmatch(r"(?:-r|--requirement)(?:\s+|=)?(\S.*)", line)
        if nested:
            found += read_requirements(
                os.path.join(os.path.dirname(path), nested[1]), seen | {real}
            )
            continue
        if line.startswith(_REFUSED):
            raise RequirementsError(
                f"{os.path.basename(path)}:{number}: `{line}` is not supported here "
                "(packages come from the wheelhouse and PyPI)"
            )
        if line.startswith("-"):  # other pip options (--pre, --only-binary...): no effect
            continue
        found.append(re.split(r"\s+--", line, maxsplit=1)[0].strip())
    return found
