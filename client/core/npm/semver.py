"""Versions and ranges as npm reads them (node-semver, always in its "loose" mode, the mode
npm uses for dependency specs), because which version an install picks and whether an
installed copy still satisfies a dependency must agree with npm to the last prerelease.

A range is a union (`||`) of comparator sets; a set is an intersection of primitive
comparators (`>=1.2.3`, `<2.0.0-0`, ...). Carets, tildes, x-ranges, stars and hyphen ranges
are rewritten into primitives first. A prerelease version only satisfies a set that names
a prerelease of the same major.minor.patch."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering

__all__ = [
    "Range",
    "Version",
    "max_satisfying",
    "satisfies",
    "subset_of_caret",
    "valid",
    "valid_range",
]

MAX_LENGTH = 256
MAX_SAFE_INTEGER = 2**53 - 1

_NUM = r"\d+"
_IDENT = r"(?:\d*[a-zA-Z-][a-zA-Z0-9-]*|\d+)"
_PRE = rf"(?:-?({_IDENT}(?:\.{_IDENT})*))"
_BUILD = r"(?:\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*))"
_VERSION = re.compile(rf"^[v=\s]*({_NUM})\.({_NUM})\.({_NUM}){_PRE}?{_BUILD}?$")
_XID = r"\d+|x|X|\*"
_XPLAIN = rf"[v=\s]*({_XID})(?:\.({_XID})(?:\.({_XID})(?:{_PRE})?{_BUILD}?)?)?"
_XRANGE = re.compile(rf"^((?:<|>)?=?)\s*{_XPLAIN}$")
_TILDE = re.compile(rf"^~>?{_XPLAIN}$")
_CARET = re.compile(rf"^\^{_XPLAIN}$")
_HYPHEN = re.compile(rf"^\s*({_XPLAIN})\s+-\s+({_XPLAIN})\s*$")
_COMPARATOR = re.compile(rf"^((?:<|>)?=?)\s*([v=\s]*{_NUM}\.{_NUM}\.{_NUM}{_PRE}?{_BUILD}?)$|^$")
_OP_TRIM = re.compile(
    rf"(\s*)((?:<|>)?=?)\s*([v=\s]*{_NUM}\.{_NUM}\.{_NUM}{_PRE}?{_BUILD}?|{_XPLAIN})"
)
_TILDE_TRIM = re.compile(r"(\s*)~>?\s+")
_CARET_TRIM = re.compile(r"(\s*)\^\s+")
_BUILD_ANYWHERE = re.compile(_BUILD)
_STAR = re.compile(r"(<|>)?=?\s*\*")


def _identifier(text: str) -> int | str:
    if text.isdigit() and int(text) <= MAX_SAFE_INTEGER:
        return int(text)
    return text


def _compare_identifiers(a: int | str, b: int | str) -> int:
    if isinstance(a, int) and isinstance(b, int):
        return (a > b) - (a < b)
    if isinstance(a, int):
        return -1
    if isinstance(b, int):
        return 1
    return (a > b) - (a < b)


@total_ordering
@dataclass(frozen=True, eq=False)
class Version:
    """A parsed version; build metadata is dropped, as it never takes part in ordering."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Version:
        """Raises ValueError for anything node-semver (loose) calls an invalid version."""
        if len(text) > MAX_LENGTH:
            raise ValueError(f"version is longer than {MAX_LENGTH} characters")
        match = _VERSION.match(text.strip())
        if not match:
            raise ValueError(f"Invalid Version: {text}")
        numbers = [int(match.group(i)) for i in (1, 2, 3)]
        if any(n > MAX_SAFE_INTEGER for n in numbers):
            raise ValueError(f"Invalid Version: {text}")
        pre = tuple(_identifier(p) for p in match.group(4).split(".")) if match.group(4) else ()
        return cls(numbers[0], numbers[1], numbers[2], pre)

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return f"{core}-{'.'.join(str(p) for p in self.prerelease)}" if self.prerelease else core

    def compare(self, other: Version) -> int:
        mine, theirs = (self.major, self.minor, self.patch), (other.major, other.minor, other.patch)
        if mine != theirs:
            return -1 if mine < theirs else 1
        if not self.prerelease or not other.prerelease:
            return (not self.prerelease) - (not other.prerelease)
        for a, b in zip(self.prerelease, other.prerelease, strict=False):
            found = _compare_identifiers(a, b)
            if found:
                return found
        return (len(self.prerelease) > len(other.prerelease)) - (
            len(self.prerelease) < len(other.prerelease)
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self.compare(other) == 0

    def __lt__(self, other: Version) -> bool:
        return self.compare(other) < 0

    def __hash__(self) -> int:
        return hash(str(self))

    @property
    def triple(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)


@dataclass(frozen=True)
class Comparator:
    operator: str  # "", "<", "<=", ">", ">="; "" with no version means any
    version: Version | None

    def test(self, version: Version) -> bool:
        if self.version is None:
            return True
        found = version.compare(self.version)
        return {
            "": found == 0,
            "<": found < 0,
            "<=": found <= 0,
            ">": found > 0,
            ">=": found >= 0,
        }[self.operator]

    def __str__(self) -> str:
        return "" if self.version is None else f"{self.operator}{self.version}"


def _is_x(part: str | None) -> bool:
    return not part or part in ("x", "X", "*")


def _caret(m: re.Match[str]) -> str:
    major, minor, patch, pre = m.group(1), m.group(2), m.group(3), m.group(4)
    if _is_x(major):
        return ""
    if _is_x(minor):
        return f">={major}.0.0 <{int(major) + 1}.0.0-0"
    if _is_x(patch):
        if major == "0":
            return f">={major}.{minor}.0 <{major}.{int(minor) + 1}.0-0"
        return f">={major}.{minor}.0 <{int(major) + 1}.0.0-0"
    low = f">={major}.{minor}.{patch}" + (f"-{pre}" if pre else "")
    if major == "0" and minor == "0":
        return f"{low} <{major}.{minor}.{int(patch) + 1}-0"
    if major == "0":
        return f"{low} <{major}.{int(minor) + 1}.0-0"
    return f"{low} <{int(major) + 1}.0.0-0"


def _tilde(m: re.Match[str]) -> str:
    major, minor, patch, pre = m.group(1), m.group(2), m.group(3), m.group(4)
    if _is_x(major):
        return ""
    if _is_x(minor):
        return f">={major}.0.0 <{int(major) + 1}.0.0-0"
    if _is_x(patch):
        return f">={major}.{minor}.0 <{major}.{int(minor) + 1}.0-0"
    low = f">={major}.{minor}.{patch}" + (f"-{pre}" if pre else "")
    return f"{low} <{major}.{int(minor) + 1}.0-0"


def _xrange(comp: str) -> str:
    m = _XRANGE.match(comp)
    if not m:
        return comp
    op, major, minor, patch = m.group(1), m.group(2), m.group(3), m.group(4)
    if (_is_x(major) and not _is_x(minor)) or (_is_x(minor) and patch and not _is_x(patch)):
        return comp
    x_major = _is_x(major)
    x_minor = x_major or _is_x(minor)
    any_x = x_minor or _is_x(patch)
    if op == "=" and any_x:
        op = ""
    if x_major:
        return "<0.0.0-0" if op in (">", "<") else "*"
    if op and any_x:
        big, mid = int(major), 0 if x_minor else int(minor)
        if op == ">":
            op = ">="
            big, mid = (big + 1, 0) if x_minor else (big, mid + 1)
        elif op == "<=":
            op = "<"
            big, mid = (big + 1, mid) if x_minor else (big, mid + 1)
        return f"{op}{big}.{mid}.0" + ("-0" if op == "<" else "")
    if x_minor:
        return f">={major}.0.0 <{int(major) + 1}.0.0-0"
    if any_x:
        return f">={major}.{minor}.0 <{major}.{int(minor) + 1}.0-0"
    return comp


def _hyphen(m: re.Match[str]) -> str:
    f_all, f_major, f_minor, f_patch, f_pre = m.group(1, 2, 3, 4, 5)
    t_all, t_major, t_minor, t_patch, t_pre = m.group(7, 8, 9, 10, 11)
    if _is_x(f_major):
        low = ""
    elif _is_x(f_minor):
        low = f">={f_major}.0.0"
    elif _is_x(f_patch):
        low = f">={f_major}.{f_minor}.0"
    else:
        low = f">={f_all.strip()}"
    del f_pre
    if _is_x(t_major):
        high = ""
    elif _is_x(t_minor):
        high = f"<{int(t_major) + 1}.0.0-0"
    elif _is_x(t_patch):
        high = f"<{t_major}.{int(t_minor) + 1}.0-0"
    elif t_pre:
        high = f"<={t_major}.{t_minor}.{t_patch}-{t_pre}"
    else:
        high = f"<={t_all.strip()}"
    return f"{low} {high}".strip()


def _expand(comp: str) -> list[str]:
    out: list[str] = []
    for part in comp.split(" "):
        m = _CARET.match(part)
        part = _caret(m) if m else part
        tildes = [(_tilde(m) if (m := _TILDE.match(p)) else p) for p in part.split()]
        pieces = [_STAR.sub("", _xrange(p).strip()).strip() for p in " ".join(tildes).split()]
        out.extend(" ".join(pieces).split() or [""])
    return ["" if re.fullmatch(r">=\s*0\.0\.0", c) else c for c in out]


def _comparator(text: str) -> Comparator:
    m = _COMPARATOR.match(text)
    assert m is not None
    if not m.group(2):
        return Comparator("", None)
    op = m.group(1) or ""
    return Comparator("" if op == "=" else op, Version.parse(m.group(2)))


def _parse_set(text: str) -> list[Comparator]:
    text = _BUILD_ANYWHERE.sub("", text)
    m = _HYPHEN.match(text)
    if m:
        text = _hyphen(m)
    text = _OP_TRIM.sub(lambda g: g.group(1) + g.group(2) + g.group(3), text)
    text = _TILDE_TRIM.sub(lambda g: g.group(1) + "~", text)
    text = _CARET_TRIM.sub(lambda g: g.group(1) + "^", text)
    parts = [c for c in _expand(text) if _COMPARATOR.match(c)]
    comparators: dict[str, Comparator] = {}
    for part in parts:
        comp = _comparator(part)
        if str(comp) == "<0.0.0-0":
            return [comp]
        comparators[str(comp)] = comp
    if len(comparators) > 1:
        comparators.pop("", None)
    return list(comparators.values())


@dataclass(frozen=True)
class Range:
    """A parsed range: any of `sets` matches when all of its comparators do."""

    raw: str
    sets: tuple[tuple[Comparator, ...], ...]

    @classmethod
    def parse(cls, text: str) -> Range:
        return _parse_range(text)

    def test(self, version: Version) -> bool:
        return any(_test_set(s, version) for s in self.sets)

    def __str__(self) -> str:
        return "||".join(" ".join(str(c) for c in s) for s in self.sets)


@lru_cache(maxsize=2048)
def _parse_range(text: str) -> Range:
    raw = " ".join(text.split())
    sets = [s for s in (_parse_set(part.strip()) for part in raw.split("||")) if s]
    if not sets:
        raise ValueError(f"Invalid SemVer Range: {raw}")
    if len(sets) > 1:
        first = sets[0]
        sets = [s for s in sets if str(s[0]) != "<0.0.0-0"] or [first]
        for s in sets:
            if len(s) == 1 and s[0].version is None:
                sets = [s]
                break
    return Range(raw, tuple(tuple(s) for s in sets))


def _test_set(comparators: tuple[Comparator, ...], version: Version) -> bool:
    if not all(c.test(version) for c in comparators):
        return False
    if not version.prerelease:
        return True
    return any(
        c.version is not None and c.version.prerelease and c.version.triple == version.triple
        for c in comparators
    )


def valid(version: str) -> bool:
    try:
        Version.parse(version)
    except ValueError:
        return False
    return True


def valid_range(text: str) -> bool:
    try:
        _parse_range(text)
    except ValueError:
        return False
    return True


def satisfies(version: str, range_: str) -> bool:
    """False (never an error) for an invalid version or range, as node-semver answers."""
    try:
        return _parse_range(range_).test(Version.parse(version))
    except ValueError:
        return False


def max_satisfying(versions: list[str] | tuple[str, ...], range_: str) -> str | None:
    try:
        parsed = _parse_range(range_)
    except ValueError:
        return None
    best: tuple[Version, str] | None = None
    for text in versions:
        try:
            version = Version.parse(text)
        except ValueError:
            continue
        if parsed.test(version) and (best is None or best[0] < version):
            best = (version, text)
    return None if best is None else best[1]


def subset_of_caret(version: str, range_: str) -> bool:
    """Whether every version `^version` allows is also allowed by `range_` (npm keeps the
    user's range in package.json when it is narrower than the caret it would write). Checked
    per comparator set, as node-semver's subset does for one interval."""
    low = Version.parse(version)
    if low.major:
        high = Version(low.major + 1, 0, 0, (0,))
    elif low.minor:
        high = Version(0, low.minor + 1, 0, (0,))
    else:
        high = Version(0, 0, low.patch + 1, (0,))
    parsed = _parse_range(range_)
    return any(all(_holds_interval(c, low, high) for c in s) for s in parsed.sets)


def _holds_interval(comp: Comparator, low: Version, high: Version) -> bool:
    """Every release version in [low, high) passes `comp`."""
    bound = comp.version
    if bound is None:
        return True
    if comp.operator == ">=":
        return low >= bound
    if comp.operator == ">":
        return low > bound
    if comp.operator in ("<", "<="):
        return high <= bound
    return False
