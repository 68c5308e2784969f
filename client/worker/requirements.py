"""Requirement strings for `pip`: reading `-r requirements.txt` and naming a requirement.

Only what micropip understands is kept: one requirement per line (`rich`, `click>=8`,
`attrs==26.1.0`, `name[extra]`, markers after `;`). Comments, blank lines and pip's
per-line options (`--hash=...`) are dropped; `-r other.txt` nests, relative to the file.
Options that change where packages come from (`-i`, `-e`, `--find-links`) cannot be
honoured by micropip, so they are refused with the line rather than silently ignored.
"""

from __future__ import annotations

import os
import re

_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_REFUSED = ("-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links")


class RequirementsError(Exception):
    pass


def canonical(name: str) -> str:
    """PEP 503's normal form: `Typing_Extensions` and `typing-extensions` are one name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(spec: str) -> str | None:
    match = _NAME.match(spec)
    return match[1] if match else None


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
