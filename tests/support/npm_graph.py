"""A small npm package graph made here and packed by the host's real `npm pack`, for the
tests of `npm` in the runtime: enough to see hoisting, a conflict nested, a bin, an
optional package built for another platform, a missing optional one, a peer, a dev
dependency and an older release, without the outside network.

    left@1.0.0          -> right@^2.0.0
    old@1.0.0           -> right@^1.0.0        (conflict: right@1 nests under old)
    right@1.0.0, 2.0.0, 2.1.0                  (latest 2.1.0)
    tool@1.0.0          bin cospai-tool; optional -> native-darwin
    maybe@1.0.0         optional -> missing (no such package: tolerated)
    native-darwin@1.0.0 os darwin, cpu arm64   (skipped in the browser)
    plugin@1.0.0        peer -> host@^1        (host installed beside it, npm 7+)
    host@1.0.0

Every name carries the PREFIX, so none can be mistaken for a real package."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

PREFIX = "cospai-t-"


def name(short: str) -> str:
    return PREFIX + short


PACKAGES: list[dict[str, Any]] = [
    {"name": name("left"), "version": "1.0.0", "dependencies": {name("right"): "^2.0.0"}},
    {"name": name("old"), "version": "1.0.0", "dependencies": {name("right"): "^1.0.0"}},
    {"name": name("right"), "version": "1.0.0"},
    {"name": name("right"), "version": "2.0.0"},
    {"name": name("right"), "version": "2.1.0"},
    {
        "name": name("tool"),
        "version": "1.0.0",
        "bin": {"cospai-tool": "bin/cli.js"},
        "optionalDependencies": {name("native-darwin"): "1.0.0"},
    },
    # npm drops an optional dependency the registry does not have (and its own `npm ci`
    # then refuses the lockfile it wrote: "Missing: ... from lock file").
    {
        "name": name("maybe"),
        "version": "1.0.0",
        "optionalDependencies": {name("missing"): "^1.0.0"},
    },
    {"name": name("native-darwin"), "version": "1.0.0", "os": ["darwin"], "cpu": ["arm64"]},
    {"name": name("plugin"), "version": "1.0.0", "peerDependencies": {name("host"): "^1.0.0"}},
    {"name": name("host"), "version": "1.0.0"},
]


def pack(dest: Path) -> Path:
    """Each package's folder (package.json, index.js, a bin) packed into `dest`."""
    sources = dest / "sources"
    folders = []
    for manifest in PACKAGES:
        folder = sources / f"{manifest['name']}-{manifest['version']}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text(json.dumps({**manifest, "license": "MIT"}))
        (folder / "index.js").write_text(f"module.exports = {json.dumps(manifest['version'])};\n")
        if "bin" in manifest:
            (folder / "bin").mkdir(exist_ok=True)
            (folder / "bin" / "cli.js").write_text("#!/usr/bin/env node\nconsole.log('tool');\n")
        folders.append(str(folder))
    tarballs = dest / "tarballs"
    tarballs.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "pack",
            "--ignore-scripts",
            "--silent",
            "--pack-destination",
            str(tarballs),
            *folders,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return tarballs
