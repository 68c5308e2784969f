"""`npm` as the runtime's terminal runs it (client/worker/npm_cmd.py and client/core/npm),
here under CPython against the real package mirror (a server on its own database, seeded
with tarballs the host's `npm pack` made: tests/support/npm_graph.py) over HTTP.

What is checked is what a user sees and what lands on disk: package.json saved as npm
saves it, the hoisted node_modules with a conflict nested, `.bin` links, an optional
package for another platform in the lock but not on disk, a missing optional one
tolerated, a peer installed, package-lock.json (v3) that our `npm ci` and the host's real
`npm ci` both install exactly, `npm ls`, `npm uninstall`, the restore after a reload, and
the failures in one line."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest

from client.core.shell import Shell, Streams
from client.worker.npm_cmd import NpmCommand
from client.worker.npm_registry import MirrorRegistry
from client.worker.npm_restore import restore, wanted
from tests.support import databases
from tests.support.mirror import cli, empty_registry, mirror_app, serving, upstream_settings
from tests.support.npm_graph import name, pack

LEFT, OLD, RIGHT, TOOL = name("left"), name("old"), name("right"), name("tool")
PLUGIN, HOST, NATIVE = name("plugin"), name("host"), name("native-darwin")
MAYBE = name("maybe")


@dataclass
class Mirror:
    registry: str  # the npm registry's URL, ending in "/"


@pytest.fixture(scope="module")
def mirror(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mirror]:
    folder = tmp_path_factory.mktemp("npm-graph")
    tarballs = pack(folder)
    with databases.fresh_database(pg_admin_url) as url:
        done = cli(url, "mirror", "seed", str(tarballs))
        assert done.returncode == 0, done.stdout + done.stderr
        # Its upstream knows no package: a name nobody seeded is a 404, as npm's E404.
        with (
            serving(empty_registry) as (upstream, _),
            serving(mirror_app(url, folder, **upstream_settings(upstream.url))) as (
                server,
                _counting,
            ),
        ):
            yield Mirror(f"{server.url}/api/mirror/npm/")


async def http_get(url: str, accept: str) -> tuple[int, bytes]:
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.get(url, headers={"Accept": accept})
    except httpx.HTTPError:
        return 0, b""
    return response.status_code, response.content


class Terminal:
    def __init__(self, root: Path, registry: str | None) -> None:
        self.root = root
        self.out: list[str] = []
        self.err: list[str] = []
        self.shell = Shell(
            str(root), env={"HOME": str(root)}, streams=Streams(self.out.append, self.err.append)
        )
        self.registry = registry
        self.shell.register("npm", NpmCommand(self.make_registry))

    def make_registry(self) -> MirrorRegistry | None:
        return MirrorRegistry(self.registry, http_get) if self.registry else None

    def __call__(self, line: str) -> tuple[int, str, str]:
        self.out.clear()
        self.err.clear()
        status = asyncio.run(self.shell.run_line(line))
        return status, "".join(self.out), "".join(self.err)

    def json(self, relative: str) -> dict:
        return json.loads((self.root / relative).read_text())


def installed(root: Path) -> dict[str, str]:
    """path in node_modules -> version, read from the folders themselves."""
    found = {}
    for manifest in sorted(root.glob("node_modules/**/package.json")):
        folder = manifest.parent.relative_to(root).as_posix()
        if folder.split("/")[-2] == "node_modules" or folder.split("/")[-3:-2] == ["node_modules"]:
            found[folder] = json.loads(manifest.read_text())["version"]
    return found


EXPECTED = {
    f"node_modules/{HOST}": "1.0.0",
    f"node_modules/{LEFT}": "1.0.0",
    f"node_modules/{OLD}": "1.0.0",
    f"node_modules/{OLD}/node_modules/{RIGHT}": "1.0.0",
    f"node_modules/{PLUGIN}": "1.0.0",
    f"node_modules/{RIGHT}": "2.1.0",
    f"node_modules/{TOOL}": "1.0.0",
}


def test_install_save_lock_bins_ls_uninstall_and_ci(mirror: Mirror, tmp_path: Path) -> None:
    term = Terminal(tmp_path, mirror.registry)
    status, out, err = term(f"npm install {LEFT} {OLD} {PLUGIN}")
    assert status == 0, out + err
    assert "added 6 packages in" in out
    assert term.json("package.json") == {
        "dependencies": {LEFT: "^1.0.0", OLD: "^1.0.0", PLUGIN: "^1.0.0"}
    }
    status, out, err = term(f"npm i -D {TOOL}")
    assert status == 0, out + err
    assert "added 1 package in" in out
    assert f"skipped 1 optional package built for a native platform: {NATIVE}@1.0.0" in out
    assert term.json("package.json")["devDependencies"] == {TOOL: "^1.0.0"}
    assert installed(tmp_path) == EXPECTED
    bin_link = tmp_path / "node_modules" / ".bin" / "cospai-tool"
    assert os.readlink(bin_link) == f"../{TOOL}/bin/cli.js"
    assert os.access(bin_link, os.X_OK)

    lock = term.json("package-lock.json")
    assert lock["lockfileVersion"] == 3 and lock["requires"] is True
    packages = lock["packages"]
    assert packages[""]["devDependencies"] == {TOOL: "^1.0.0"}
    assert packages[f"node_modules/{NATIVE}"]["os"] == ["darwin"]  # recorded, as npm does
    assert packages[f"node_modules/{NATIVE}"]["optional"] is True
    assert packages[f"node_modules/{TOOL}"]["dev"] is True
    assert packages[f"node_modules/{HOST}"]["peer"] is True
    # No mirror URL in the lock: it syncs and is shared (npm's omit-lockfile-registry-resolved).
    assert all("resolved" not in entry for entry in packages.values())
    assert packages[f"node_modules/{RIGHT}"]["integrity"].startswith("sha512-")
    assert not (tmp_path / "node_modules" / NATIVE).exists()

    status, out, _ = term("npm ls")
    assert status == 0
    assert out.splitlines()[0] == f"{tmp_path.name}@ {tmp_path}"
    assert f"{LEFT}@1.0.0" in out and f"{TOOL}@1.0.0" in out

    again = term("npm install")
    assert again[0] == 0 and "up to date in" in again[1]
    status, out, err = term(f"npm install {MAYBE}")  # its optional dependency does not exist
    assert status == 0 and "added 1 package in" in out, out + err
    assert f"node_modules/{name('missing')}" not in term.json("package-lock.json")["packages"]
    assert term(f"npm uninstall {MAYBE}")[0] == 0

    status, out, err = term(f"npm uninstall {OLD}")
    assert status == 0, out + err
    assert "removed 2 packages in" in out
    assert OLD not in term.json("package.json")["dependencies"]
    assert not (tmp_path / "node_modules" / OLD).exists()

    shutil.rmtree(tmp_path / "node_modules")
    status, out, err = term("npm ci")
    assert status == 0, out + err
    after = {k: v for k, v in EXPECTED.items() if OLD not in k}
    assert installed(tmp_path) == after


def test_the_host_npm_ci_installs_our_lockfile_exactly(mirror: Mirror, tmp_path: Path) -> None:
    ours = tmp_path / "ours"
    ours.mkdir()
    term = Terminal(ours, mirror.registry)
    assert term(f"npm install {LEFT} {OLD} {PLUGIN}")[0] == 0
    assert term(f"npm install -D {TOOL}")[0] == 0
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    shutil.copy(ours / "package.json", theirs)
    shutil.copy(ours / "package-lock.json", theirs)
    done = subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--registry", mirror.registry],
        cwd=theirs,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "npm_config_cache": str(tmp_path / "npm-cache")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert installed(theirs) == installed(ours) == EXPECTED
    # The host's npm leaves our lockfile as it was: nothing to correct in it.
    assert (theirs / "package-lock.json").read_text() == (ours / "package-lock.json").read_text()


def test_node_modules_comes_back_from_the_lock_after_a_reload(
    mirror: Mirror, tmp_path: Path
) -> None:
    term = Terminal(tmp_path, mirror.registry)
    assert term(f"npm install {LEFT} {OLD}")[0] == 0
    before = installed(tmp_path)
    shutil.rmtree(tmp_path / "node_modules")  # a fresh engine: the files, no packages
    assert wanted(str(tmp_path))
    registry = MirrorRegistry(mirror.registry, http_get)
    assert asyncio.run(restore(str(tmp_path), registry)) == len(before)
    assert installed(tmp_path) == before
    assert not wanted(str(tmp_path))


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (
            "npm install cospai-t-nope",
            "npm error 404 Not Found: cospai-t-nope is not in the registry",
        ),
        (f"npm install {RIGHT}@^9", f"npm error No matching version found for {RIGHT}@^9."),
        ("npm install git+https://example.invalid/x.git", "installs from the registry only"),
        ("npm install ../evil", "installs from the registry only"),
        ("npm install 'Bad Name'", "npm error"),
        ("npm install -g cowsay", "global installs are not available in the browser"),
        ("npm frobnicate", 'npm error Unknown command: "frobnicate"'),
        ("npm run dev", "needs the JavaScript engine"),
        ("npm ci", "can only install with an existing package-lock.json"),
        ("npm uninstall x", "could not read package.json"),
    ],
)
def test_failures_are_one_npm_error_line(
    mirror: Mirror, tmp_path: Path, line: str, words: str
) -> None:
    term = Terminal(tmp_path, mirror.registry)
    if line in ("npm ci", "npm uninstall x"):
        (tmp_path / "package.json").write_text("{}") if line == "npm ci" else None
    status, out, err = term(line)
    assert status == 1
    assert words in err, err
    assert "Traceback" not in out + err
    assert not (tmp_path / "node_modules").exists()


def test_a_broken_package_json_and_an_out_of_step_lock_are_refused(
    mirror: Mirror, tmp_path: Path
) -> None:
    term = Terminal(tmp_path, mirror.registry)
    (tmp_path / "package.json").write_text('{"dependencies": ')
    status, _, err = term("npm install")
    assert status == 1 and "EJSONPARSE" in err
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {LEFT: "^1.0.0"}}))
    assert term("npm install")[0] == 0
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {OLD: "^1.0.0"}}))
    status, _, err = term("npm ci")
    assert status == 1 and "in sync" in err
    assert (tmp_path / "node_modules" / LEFT).is_dir()  # a refused ci leaves node_modules be


def test_without_a_mirror_npm_says_so(tmp_path: Path) -> None:
    term = Terminal(tmp_path, None)
    status, _, err = term(f"npm install {LEFT}")
    assert status == 1 and "names no package mirror" in err


def test_a_hostile_lockfile_cannot_reach_outside_node_modules(
    mirror: Mirror, tmp_path: Path
) -> None:
    """A shared project's package-lock.json naming "node_modules/../../x": npm ci refuses it
    and the restore after a reload leaves it alone; nothing is written or removed outside."""
    project = tmp_path / "project"
    project.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    lock = {
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": {"dependencies": {LEFT: "^1.0.0"}},
            "node_modules/../../victim.txt": {"version": "1.0.0"},
            f"node_modules/{LEFT}": {"version": "1.0.0"},
        },
    }
    (project / "package.json").write_text(json.dumps({"dependencies": {LEFT: "^1.0.0"}}))
    (project / "package-lock.json").write_text(json.dumps(lock))
    term = Terminal(project, mirror.registry)
    status, _, err = term("npm ci")
    assert status == 1 and "npm error package-lock.json names a folder npm would not make" in err
    registry = MirrorRegistry(mirror.registry, http_get)
    assert asyncio.run(restore(str(project), registry)) == -1
    assert victim.read_text() == "keep me"
    # npm install ignores a lockfile it cannot take, and writes a sound one.
    assert term("npm install")[0] == 0
    assert "victim" not in (project / "package-lock.json").read_text()
    assert victim.read_text() == "keep me"
