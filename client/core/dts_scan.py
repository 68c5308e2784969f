"""What a TypeScript or JavaScript file needs from elsewhere, read from its text: the
module specifiers it imports (`import ... from`, `export ... from`, `import "x"`,
`import("x")`, `require("x")`) and, for declaration files, its triple-slash references
(`/// <reference path=...>` and `types=...`).

This is a scan, not a parse: the editor wants the list fast, on the main thread, for
files up to megabytes (csstype's declarations are close to one), so it is a few regular
expressions run line by line (linear time). A line that starts as a comment (`//`, `/*`,
or ` * ` inside a JSDoc block) is skipped, so the examples in documentation comments
(`import { useState } from 'react'`) do not pull packages in. What the scan gets wrong
costs a read that misses, or a package loaded for nothing; never a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Where a specifier is: after `from`, after a bare `import`, inside `import(...)` or
# `require(...)`. Each pattern starts with its keyword, which lets the regular expression
# engine jump from one occurrence to the next (a leading \\b or a lookahead at every line
# start made a scan of csstype 70 times slower); the word boundary and "this line does not
# begin as a comment" are then checked by hand on each match.
_SPECIFIER = (
    re.compile(r"from\s*([\"'])([^\"'\n]{1,300})\1"),
    re.compile(r"import\s*([\"'])([^\"'\n]{1,300})\1"),
    re.compile(r"import\s*\(\s*([\"'])([^\"'\n]{1,300})\1\s*\)"),
    re.compile(r"require\s*\(\s*([\"'])([^\"'\n]{1,300})\1\s*\)"),
)
_REFERENCE = re.compile(r"///[ \t]*<reference\s+(path|types)\s*=\s*([\"'])([^\"'\n]{1,300})\2")
_WORD = re.compile(r"[\w$]")


def _line_before(text: str, at: int) -> str:
    return text[text.rfind("\n", 0, at) + 1 : at]


@dataclass
class Needs:
    """What one file asks for: module specifiers, and the files and type packages its
    triple-slash references name."""

    specifiers: list[str] = field(default_factory=list)
    reference_paths: list[str] = field(default_factory=list)
    reference_types: list[str] = field(default_factory=list)


def _unique(found: list[str]) -> list[str]:
    return list(dict.fromkeys(found))


def specifiers(text: str) -> list[str]:
    """Every module specifier the text imports, in order of first appearance. A line
    holding two `import(...)` finds the first only: enough for what declarations do."""
    found = []
    for pattern in _SPECIFIER:
        for match in pattern.finditer(text):
            at = match.start()
            if at and _WORD.match(text[at - 1]):
                continue  # part of a longer word ("wherefrom", "reimport")
            if not _line_before(text, at).lstrip().startswith(("*", "//", "/*")):
                found.append(match.group(2))
    return _unique(found)


def needs(text: str) -> Needs:
    """Specifiers and triple-slash references of a declaration (or any script) file."""
    result = Needs(specifiers=specifiers(text))
    for match in _REFERENCE.finditer(text):
        if _line_before(text, match.start()).strip():
            continue  # not at the start of its line: not a directive
        kind, target = match.group(1), match.group(3)
        (result.reference_paths if kind == "path" else result.reference_types).append(target)
    result.reference_paths = _unique(result.reference_paths)
    result.reference_types = _unique(result.reference_types)
    return result


def is_relative(specifier: str) -> bool:
    return specifier in {".", ".."} or specifier.startswith(("./", "../"))


def package_of(specifier: str) -> tuple[str, str] | None:
    """A bare specifier split into (package name, subpath): "react" -> ("react", ""),
    "react-dom/client" -> ("react-dom", "client"), "@scope/x/y" -> ("@scope/x", "y").
    None for what is not a package: relative or absolute paths, URLs and schemes
    (`node:fs` is Node's own, whose types come from @types/node), and names npm would
    refuse (empty, upper case, spaces, dots first)."""
    if not specifier or is_relative(specifier) or specifier.startswith(("/", "#", "~")):
        return None
    if ":" in specifier.split("/", 1)[0]:
        return None
    parts = specifier.split("/")
    count = 2 if specifier.startswith("@") else 1
    if len(parts) < count:
        return None
    name, subpath = "/".join(parts[:count]), "/".join(parts[count:])
    if not all(_NAME_PART.fullmatch(part) for part in name.lstrip("@").split("/")):
        return None
    return name, subpath


_NAME_PART = re.compile(r"[a-z0-9][a-z0-9._~-]{0,213}")


def types_package(name: str) -> str:
    """The DefinitelyTyped package for a package: "x" -> "@types/x", "@s/x" ->
    "@types/s__x" (DefinitelyTyped's spelling of a scoped name)."""
    if name.startswith("@types/"):
        return name
    if name.startswith("@"):
        scope, base = name[1:].split("/", 1)
        return f"@types/{scope}__{base}"
    return f"@types/{name}"
