"""Phase 3, wheels: the pure-Python wheels wheelhouse.txt pins (by hash), downloaded once
into the cache, and a static PEP 503 index beside them, so micropip installs offline from
our origin."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from builder import BuildError, log
from builder.groups import ROOT, new_group, seal_group, sha256_file


def parse_wheelhouse(path: Path) -> list[tuple[str, str, str]]:
    """Read wheelhouse.txt lines `name==version --hash=sha256:<hex>`."""
    pins = []
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})", line)
        if not match:
            raise BuildError(f"{path.name}:{number}: expected `name==version --hash=sha256:...`")
        pins.append((match[1], match[2], match[3]))
    return pins


def fetch_wheels(cache: Path, offline: bool) -> dict[str, Path]:
    """Return {normalised name: wheel path}, downloading what the cache lacks."""
    pins = parse_wheelhouse(ROOT / "wheelhouse.txt")
    cache.mkdir(parents=True, exist_ok=True)

    def find(name: str, version: str, digest: str) -> Path | None:
        stem = re.sub(r"[-_.]+", "_", name).lower()
        for path in cache.glob("*.whl"):
            parts = path.name.split("-")
            if parts[0].lower() == stem and parts[1] == version and sha256_file(path) == digest:
                return path
        return None

    missing = [pin for pin in pins if find(*pin) is None]
    if missing:
        if offline:
            names = ", ".join(f"{n}=={v}" for n, v, _ in missing)
            raise BuildError(f"--offline, and these wheels are not cached: {names}")
        log(f"downloading {len(missing)} wheel(s) from the package index")
        requirements = cache / "requirements.txt"
        requirements.write_text("".join(f"{n}=={v} --hash=sha256:{h}\n" for n, v, h in missing))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                "3.14",
                "--platform",
                "any",
                "--implementation",
                "py",
                "--require-hashes",
                "-r",
                str(requirements),
                "-d",
                str(cache),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BuildError(f"pip download failed:\n{result.stderr.strip()}")
    wheels = {}
    for name, version, digest in pins:
        path = find(name, version, digest)
        if path is None:
            raise BuildError(f"wheel {name}=={version} with the pinned hash is not available")
        wheels[re.sub(r"[-_.]+", "-", name).lower()] = path
    return wheels


def write_wheelhouse(stage: Path, wheels: dict[str, Path]) -> str:
    """Wheels plus a static PEP 503 index, so micropip installs offline from our origin."""
    folder = new_group(stage, "wheelhouse")
    (folder / "wheels").mkdir()
    (folder / "simple").mkdir()
    links = []
    for name in sorted(wheels):
        wheel = wheels[name]
        shutil.copyfile(wheel, folder / "wheels" / wheel.name)
        page = folder / "simple" / name / "index.html"
        page.parent.mkdir()
        href = f"../../wheels/{wheel.name}#sha256={sha256_file(wheel)}"
        page.write_text(
            f'<!doctype html>\n<html><body>\n<a href="{href}">{wheel.name}</a>\n</body></html>\n'
        )
        links.append(f'<a href="{name}/">{name}</a>')
    (folder / "simple" / "index.html").write_text(
        "<!doctype html>\n<html><body>\n" + "\n".join(links) + "\n</body></html>\n"
    )
    return seal_group(stage, "wheelhouse", folder)
