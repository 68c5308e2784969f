"""Builds of the site by the real build.py: into a folder of the test's, and a second,
different one from a copy of the sources with one file changed (upgrade tests need build A
and build B side by side)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

# What build.py reads from the project folder; node_modules is linked, not copied.
_SOURCES = [
    "build.py",
    "builder",
    "index.html",
    "wheelhouse.txt",
    "package.json",
    "client",
    "service_worker",
    "contract",
]


def build_changed_copy(work: Path, change: dict[str, str], out: Path) -> dict:
    """Build into `out` from a copy of the sources in `work` where each `change` path
    (relative to the project root) has the given text appended; return the manifest."""
    work.mkdir(parents=True, exist_ok=True)
    for name in _SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, work / name)
    (work / "node_modules").symlink_to(ROOT / "node_modules")
    for path, extra in change.items():
        target = work / path
        target.write_text(target.read_text() + extra)
    return build_site(out, root=work)


def build_site(out: Path, *options: str, root: Path = ROOT) -> dict:
    """Run the real `python build.py --out OUT --quiet OPTIONS...` in `root`; the manifest."""
    done = subprocess.run(
        [sys.executable, str(root / "build.py"), "--out", str(out), "--quiet", *options],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"build.py failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads((out / "manifest.json").read_text()))
