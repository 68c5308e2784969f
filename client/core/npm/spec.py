"""What a package argument or a dependency spec asks for, read as npm-package-arg reads it,
because npm's classification decides what is fetched: a version, a range or a dist-tag from
the registry (possibly under an `npm:` alias). Everything else npm understands (git,
GitHub shorthand, tarball URLs, local folders, links, workspaces) needs a network or a disk
the browser does not have, so it is refused with one line saying what it is.

Also the rule npm follows when it saves a dependency it added to package.json."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from . import semver

__all__ = [
    "Spec",
    "SpecError",
    "check_name",
    "parse_arg",
    "parse_dependency",
    "saved_spec",
]

Kind = Literal["range", "version", "tag"]

MAX_NAME = 214
_URL = re.compile(r"^(?:git\+)?[a-z]+:", re.IGNORECASE)
_SCP_GIT = re.compile(r"^[^@]+@[^:.]+\.[^:]+:.+$")
_TARBALL_NAME = re.compile(r"\.(?:tgz|tar\.gz|tar)$", re.IGNORECASE)
_LOCAL_PATH = re.compile(r"^(?:\.|~/|/|[a-zA-Z]:)")
_URI_SAFE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]*$")
_SCOPED = re.compile(r"^@([^/]+)/([^/]+)$")
_HOSTED_PREFIXES = ("github:", "gitlab:", "bitbucket:", "gist:")
_GIT_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "gist.github.com")
_REFUSAL = "npm in the browser installs from the registry only"


class SpecError(ValueError):
    """One line for the terminal: what was asked for and why it cannot be installed."""


@dataclass(frozen=True)
class Spec:
    """`name` is the folder name in node_modules; `alias_of` the registry package behind an
    `npm:` alias (then `kind` and `value` describe the alias target's spec)."""

    name: str
    kind: Kind
    value: str
    alias_of: str | None = None

    @property
    def package(self) -> str:
        """The registry package to fetch."""
        return self.alias_of or self.name


def check_name(name: str, raw: str | None = None) -> None:
    """npm's rules for a package name (lowercase, URL-safe, at most 214 characters, no
    leading dot, dash or underscore, not node_modules or favicon.ico; `@scope/name`)."""
    shown = repr(name) if name and name.isprintable() else ascii(name)
    where = f' in "{raw}"' if raw is not None and raw != name else ""

    def refuse(reason: str) -> SpecError:
        return SpecError(f"invalid package name {shown}{where}: {reason}")

    if not name:
        raise refuse("a name cannot be empty")
    if name.strip() != name or any(ch.isspace() for ch in name):
        raise refuse("a name cannot contain spaces")
    if len(name) > MAX_NAME:
        raise refuse(f"a name cannot be longer than {MAX_NAME} characters")
    if name.lower() != name:
        raise refuse("a name cannot contain capital letters")
    if name[0] in "._-":
        raise refuse("a name cannot start with a period, a dash or an underscore")
    if name in ("node_modules", "favicon.ico"):
        raise refuse(f"{name} is not a valid package name")
    if not _URI_SAFE.match(name):
        scoped = _SCOPED.match(name)
        if not scoped or not all(_URI_SAFE.match(part) for part in scoped.groups()):
            raise refuse("a name can only contain URL-friendly characters")
        if scoped.group(2).startswith("."):
            raise refuse("a name cannot start with a period")
        if scoped.group(1) in ("", ".", "..") or scoped.group(1).startswith("."):
            raise refuse("a scope cannot start with a period")


def _refuse(raw: str, what: str) -> SpecError:
    return SpecError(f"{_REFUSAL}: {raw} is {what}")


def _foreign_kind(spec: str) -> str | None:
    """What kind of non-registry spec this is, or None for a registry spec."""
    lower = spec.lower()
    if lower.startswith("file:") or _LOCAL_PATH.match(spec):
        return "a local path"
    if lower.startswith("link:"):
        return "a link"
    if lower.startswith("workspace:"):
        return "a workspace reference"
    if lower.startswith(_HOSTED_PREFIXES) or lower.startswith("git") and _URL.match(spec):
        return "a git dependency"
    if _SCP_GIT.match(spec):
        return "a git dependency"
    if _URL.match(spec):
        if any(f"://{host}/" in lower or f"@{host}" in lower for host in _GIT_HOSTS):
            return "a git dependency"
        return "a tarball URL" if lower.startswith(("http:", "https:")) else "not a registry spec"
    if "/" in spec:
        if re.match(r"^[^/@:\s]+/[^/\s]+$", spec) and not _TARBALL_NAME.search(spec):
            return "a GitHub repository"
        return "a local path"
    if _TARBALL_NAME.search(spec):
        return "a local tarball"
    return None


def _registry_spec(name: str, spec: str, raw: str, alias_of: str | None = None) -> Spec:
    spec = spec.strip()
    if semver.valid(spec):
        return Spec(name, "version", str(semver.Version.parse(spec)), alias_of)
    if semver.valid_range(spec):
        return Spec(name, "range", spec, alias_of)
    if not spec or not _URI_SAFE.match(spec):
        shown = spec if spec.isprintable() else ascii(spec)
        raise SpecError(f'invalid version, range or tag "{shown}" in "{raw}"')
    return Spec(name, "tag", spec, alias_of)


def parse_dependency(name: str, spec: str, raw: str | None = None) -> Spec:
    """A dependency as a manifest lists it: `"name": "spec"`."""
    raw = raw if raw is not None else f"{name}@{spec}"
    check_name(name, raw)
    if not isinstance(spec, str):
        raise SpecError(f'invalid spec for {name}: "{spec!r}"')
    if spec.lower().startswith("npm:"):
        target = parse_arg(spec[4:], context=raw)
        if target.alias_of is not None:
            raise SpecError(f'nested aliases are not supported: "{raw}"')
        return Spec(name, target.kind, target.value, target.name)
    kind = _foreign_kind(spec.strip())
    if kind is not None:
        raise _refuse(spec, kind)
    return _registry_spec(name, spec or "*", raw)


def parse_arg(arg: str, context: str | None = None) -> Spec:
    """A command-line argument: `react`, `react@^18`, `@types/react@latest`,
    `alias@npm:real@^1`. Raises SpecError with one line for anything else."""
    raw = context or arg
    if "\x00" in arg or not arg.strip():
        check_name(arg, raw)  # always refuses: empty, spaces only or NUL
    name_ends = arg.find("@", 1)
    name_part = arg[:name_ends] if name_ends > 0 else arg
    if _URL.match(arg) or _SCP_GIT.match(arg):
        raise _refuse(arg, _foreign_kind(arg) or "not a registry spec")
    if not name_part.startswith("@") and ("/" in name_part or _TARBALL_NAME.search(name_part)):
        raise _refuse(arg, _foreign_kind(arg) or "a local path")
    if name_ends > 0:
        spec = arg[name_ends + 1 :] or "*"
        return parse_dependency(name_part, spec, raw)
    check_name(arg, raw)
    return Spec(arg, "range", "*")


def saved_spec(spec: Spec, version: str, *, exact: bool = False, prefix: str = "^") -> str:
    """What `npm install <spec>` writes into package.json once `version` was installed:
    the save prefix and the version for a tag, an exact version or a range the prefixed
    version stays inside; the user's range itself when it is narrower; `npm:real@...` for
    an alias. `exact` (--save-exact) writes the bare version."""
    prefix = "" if exact else prefix
    chosen = prefix + version
    if spec.kind == "range" and spec.value.strip() not in ("*", ""):
        if prefix == "^":
            inside = semver.subset_of_caret(version, spec.value)
        else:  # an exact version, or another prefix: kept when the range allows it
            inside = semver.satisfies(version, spec.value)
        if not inside:
            chosen = spec.value
    return f"npm:{spec.alias_of}@{chosen}" if spec.alias_of else chosen
