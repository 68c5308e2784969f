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

try:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name
except ModuleNotFoundError:  # the runtime worker, which loads micropip only
    # micropip carries its own copy of packaging, the version it was tested with.
    from micropip._vendored.packaging.src.packaging.requirements import (  # type: ignore[import-not-found,no-redef]
        InvalidRequirement,
        Requirement,
    )
    from micropip._vendored.packaging.src.packaging.utils import (  # type: ignore[import-not-found,no-redef]
        canonicalize_name,
    )

_REFUSED = ("-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links")


class RequirementsError(Exception):
    pass


def canonical(name: str) -> str:
    """PEP 503's normal form: `Typing_Extensions` and `typing-extensions` are one name."""
    return str(canonicalize_name(name))


def parse_requirement(spec: str) -> Requirement | None:
    """The requirement `spec` writes (PEP 508), or None for what is not one: a wheel's
    path, a URL, a typo (micropip says what is wrong with those)."""
    try:
        return Requirement(spec)
    except InvalidRequirement:
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
