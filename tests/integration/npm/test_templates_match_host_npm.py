"""Issue 16, item 4: our `npm install` installs what the npm CLI installs. For each template
of create-vite (read from its tarball, fetched through the mirror) and our own vite-react
and node-express templates, our resolver (client/core/npm over MirrorRegistry) and the
host's npm (`--package-lock-only`) resolve the template's package.json against the same
mirror, whose upstream is the machine's configured npm registry.

What must hold:
- The lockfiles list the same packages at the same paths in the same versions (npm records
  every platform's optional variant whatever platform it runs on), and, that being so,
  the same entries (flags, fields, order), but for what only full packuments carry.
- What each side puts in node_modules differs only by the optional variants built for
  one OS and CPU. The host keeps its linux/x64 ones, which the browser (os "browser", cpu
  "wasm32") skips: the host's extra packages must be exactly the ones whose `os`/`cpu`
  exclude the browser and admit the host. Symmetrically, a variant for cpu "wasm32" alone
  (rolldown's wasi binding) is the browser's own, and the host skips it.
- Which lock entries the host installs is read with our platform.allowed against Node's
  own platform, and checked against what `npm ci --dry-run` would add.
A failure prints, per template, what only we have, what only npm has and which versions
differ. Also: the lock we write is one the host's `npm ci` accepts.

A live test: where the configured registry cannot be reached it skips, saying why."""

from __future__ import annotations

import asyncio
import difflib
import io
import json
import os
import shutil
import subprocess
import tarfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx2 as httpx
import pytest

from client.core.npm.lockfile import dumps, lock_document
from client.core.npm.model import name_from_path
from client.core.npm.platform import BROWSER_CPU, BROWSER_OS, allowed
from client.core.npm.tree import Tree, build_ideal_tree
from client.worker.npm_install import portable
from client.worker.npm_registry import ABBREVIATED, MirrorRegistry
from tests.support import databases
from tests.support.mirror import mirror_app, serving
from tests.support.paths import ROOT

CREATE_VITE = (
    *("vanilla", "vanilla-ts", "react", "react-ts", "vue", "vue-ts"),
    *("svelte", "svelte-ts", "preact", "lit"),
)
OURS = ("vite-react", "node-express")  # templates/ in this repo
NPM_FLAGS = ("--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund")
Layout = dict[str, str]  # path in node_modules -> version
CLOSED = "http://127.0.0.1:9/"  # a registry nobody answers: npm ci --dry-run fetches nothing


@dataclass(frozen=True)
class Host:
    """The machine npm runs on, as npm's checkPlatform sees it."""

    node_version: str  # without the "v"
    os: str
    cpu: str
    libc: str | None


@dataclass
class Mirror:
    registry: str  # the mirror's npm registry URL, ending in "/"
    folder: Path


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=180, check=False, env=env
    )
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return done.stdout.strip()


def configured_registry() -> str:
    """The machine's npm registry setting (never a host written here)."""
    if shutil.which("npm") is None:
        pytest.fail("npm is not installed (make deps needs node and npm)")
    url = run("npm", "config", "get", "registry")
    return url if url.endswith("/") else url + "/"


def reachable_or_skip(registry: str) -> None:
    """A quick GET of a small packument; no answer at all is a skip, any other failure
    (a wrong status, not JSON) fails."""
    try:
        response = httpx.get(registry + "isexe", headers={"Accept": ABBREVIATED}, timeout=10)
    except (httpx.ConnectError, httpx.TimeoutException) as error:
        pytest.skip(f"the configured npm registry {registry} cannot be reached: {error!r}")
    assert response.status_code == 200, f"{registry}isexe answered {response.status_code}"
    assert "versions" in response.json()


def host_platform() -> Host:
    """Node's own view (process.platform/arch, glibc when its report names a version)."""
    script = (
        "const h = process.report.getReport().header;"
        "console.log(JSON.stringify([process.version, process.platform, process.arch,"
        " process.platform === 'linux' ? (h.glibcVersionRuntime ? 'glibc' : 'musl') : null]))"
    )
    version, os_, cpu, libc = json.loads(run("node", "-e", script))
    return Host(version.removeprefix("v"), os_, cpu, libc)


@pytest.fixture(scope="module")
def mirror(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mirror]:
    registry = configured_registry()
    reachable_or_skip(registry)
    folder = tmp_path_factory.mktemp("templates-mirror")
    settings = {"npm_upstream": registry, "requests_per_minute": 0}
    with (
        databases.fresh_database(pg_admin_url) as url,
        serving(mirror_app(url, folder, **settings)) as (server, _counting),
    ):
        yield Mirror(f"{server.url}/api/mirror/npm/", folder)


async def _get(client: httpx.AsyncClient, url: str, accept: str) -> tuple[int, bytes]:
    try:
        response = await client.get(url, headers={"Accept": accept})
    except httpx.HTTPError:
        return 0, b""
    return response.status_code, response.content


def create_vite_templates(registry: str) -> dict[str, dict[str, Any]]:
    """`template-*/package.json` of create-vite's latest tarball, through the mirror."""
    with httpx.Client(timeout=60) as client:
        doc = client.get(registry + "create-vite", headers={"Accept": ABBREVIATED}).json()
        dist = doc["versions"][doc["dist-tags"]["latest"]]["dist"]
        tarball = client.get(urljoin(registry, dist["tarball"]))
    assert tarball.status_code == 200, tarball.text[:300]
    found = {}
    with tarfile.open(fileobj=io.BytesIO(tarball.content)) as archive:
        for name in CREATE_VITE:
            member = archive.extractfile(f"package/template-{name}/package.json")
            assert member is not None, f"create-vite has no template-{name}"
            found[name] = json.load(member)
    return found


def all_templates(registry: str) -> dict[str, dict[str, Any]]:
    found = create_vite_templates(registry)
    for name in OURS:
        found[name] = json.loads((ROOT / "templates" / name / "package.json").read_text())
    return found


def resolve_ours(
    registry: str, templates: dict[str, dict[str, Any]], node_version: str
) -> dict[str, Tree]:
    """Every template's tree, built side by side over one MirrorRegistry (its packument
    cache is shared; it only reads). `node_version` is the host's Node, so that where a
    range allows several versions, `engines.node` makes both sides pick the same one (in
    the browser there is no Node; npm picks with the Node it runs on)."""

    async def build() -> list[Tree]:
        async with httpx.AsyncClient(timeout=120) as client:
            mirror = MirrorRegistry(registry, lambda url, accept: _get(client, url, accept))
            return await asyncio.gather(
                *(
                    build_ideal_tree(pkg, mirror.packument, node_version=node_version)
                    for pkg in templates.values()
                )
            )

    return dict(zip(templates, asyncio.run(build()), strict=True))


def host_lock(registry: str, pkg: dict[str, Any], workdir: Path, cache: Path) -> str:
    """package-lock.json as the host's npm writes it: its own cache, no user config."""
    workdir.mkdir(parents=True)
    (workdir / "package.json").write_text(json.dumps(pkg, indent=2) + "\n")
    (workdir / ".npmrc").write_text("")
    env = {**os.environ, "npm_config_cache": str(cache), "NO_COLOR": "1"}
    env["npm_config_userconfig"] = str(workdir / ".npmrc")
    run("npm", "install", *NPM_FLAGS, "--registry", registry, cwd=workdir, env=env)
    return (workdir / "package-lock.json").read_text()


def host_installs(workdir: Path, cache: Path) -> Counter[tuple[str, str]]:
    """(name, version) of each package npm itself would install from its lock on this
    machine, from `npm ci --dry-run` (its own platform check and optional-failure rules;
    no network: the registry given is a closed port)."""
    env = {**os.environ, "npm_config_cache": str(cache), "NO_COLOR": "1"}
    env["npm_config_userconfig"] = str(workdir / ".npmrc")
    out = run("npm", "ci", "--dry-run", *NPM_FLAGS[1:], "--registry", CLOSED, cwd=workdir, env=env)
    return Counter(
        (parts[1], parts[2])
        for parts in (line.split() for line in out.splitlines())
        if len(parts) == 3 and parts[0] == "add"
    )


def layout(packages: dict[str, Any], keep: Callable[[dict[str, Any]], bool] = bool) -> Layout:
    return {
        path: entry.get("version", "")
        for path, entry in packages.items()
        if path.startswith("node_modules/") and keep(entry)
    }


def describe(title: str, ours: Layout, theirs: Layout) -> list[str]:
    """Lines naming what differs between two layouts (none when they are equal)."""
    lines = [f"  only ours: {path}@{ours[path]}" for path in sorted(ours.keys() - theirs.keys())]
    lines += [f"  only npm:  {path}@{theirs[path]}" for path in sorted(theirs.keys() - ours.keys())]
    lines += [
        f"  version:   {path} ours {ours[path]}, npm {theirs[path]}"
        for path in sorted(ours.keys() & theirs.keys())
        if ours[path] != theirs[path]
    ]
    return [title, *lines] if lines else []


# npm 11 builds its tree from full packuments (arborist's fetchManifest asks for
# fullMetadata); we, as npm did before, from the abbreviated ones the mirror serves, which
# carry every field installing reads but not a dependency's own `workspaces` (npm copies
# it into the entry; vitefu has one). The field means nothing for a dependency.
FULL_METADATA_ONLY = ("workspaces",)


def lock_lines(text: str) -> list[str]:
    """The lockfile, as lines to diff, less what only full packuments carry."""
    doc = json.loads(text)
    for path, entry in doc["packages"].items():
        for key in FULL_METADATA_ONLY if path else ():
            entry.pop(key, None)
    return json.dumps(doc, indent=2).splitlines()


def by_os_cpu(entry: dict[str, Any], os_: str, cpu: str) -> bool:
    """Whether `os`/`cpu` alone (libc aside) admit the entry on that platform."""
    return allowed({k: entry[k] for k in ("os", "cpu") if k in entry}, os_, cpu)


@dataclass
class Outcome:
    problems: list[str]
    host_only: Layout  # the host's own OS/CPU variants, which the browser skips
    browser_only: Layout  # the browser's own (cpu "wasm32") variants, which the host skips


def compare(
    name: str, tree: Tree, lock_text: str, npm_adds: Counter[tuple[str, str]], host: Host
) -> Outcome:
    """The differences for one template; `lock_text` and `npm_adds` are the host's."""
    packages = json.loads(lock_text)["packages"]
    ours_text = dumps(lock_document(tree))
    problems = describe(
        f"{name}: lockfile packages", layout(json.loads(ours_text)["packages"]), layout(packages)
    )
    ours_lines, npm_lines = lock_lines(ours_text), lock_lines(lock_text)
    if not problems and ours_lines != npm_lines:
        # Same packages in the same places: then the rest of each entry (flags, fields
        # copied from the manifest, URLs, key order) must be npm's too.
        diff = difflib.unified_diff(npm_lines, ours_lines, "npm", "ours", lineterm="")
        problems += [f"{name}: lockfile entries", *list(diff)[2:80]]

    def on_host(entry: dict[str, Any]) -> bool:
        return allowed(entry, host.os, host.cpu, host.libc)

    host_installed = layout(packages, on_host)
    named = Counter((name_from_path(path), version) for path, version in host_installed.items())
    if named != npm_adds:
        problems.append(f"{name}: platform.allowed on the host is not what npm ci installs:")
        problems += [f"  only platform.allowed: {n}@{v}" for n, v in named - npm_adds]
        problems += [f"  only npm ci: {n}@{v}" for n, v in npm_adds - named]

    host_only = layout(packages, lambda e: on_host(e) and not by_os_cpu(e, BROWSER_OS, BROWSER_CPU))
    browser_only = layout(
        packages,
        lambda e: allowed(e, BROWSER_OS, BROWSER_CPU) and not by_os_cpu(e, host.os, host.cpu),
    )
    expected = {p: v for p, v in host_installed.items() if p not in host_only} | browser_only
    ours_installed = {n.path: n.version for n in tree.installed()}
    problems += describe(f"{name}: installed, platform variants aside", ours_installed, expected)
    return Outcome(problems, host_only, browser_only)


def short(found: Layout) -> str:
    return ", ".join(f"{name_from_path(p)}@{v}" for p, v in found.items()) or "-"


def test_templates_install_what_host_npm_installs(mirror: Mirror, tmp_path: Path) -> None:
    started = time.monotonic()
    host = host_platform()
    templates = all_templates(mirror.registry)
    trees = resolve_ours(mirror.registry, templates, host.node_version)
    ours_s = time.monotonic() - started

    cache = tmp_path / "npm-cache"

    def host_npm(name: str) -> tuple[str, Counter[tuple[str, str]]]:
        lock = host_lock(mirror.registry, templates[name], tmp_path / name, cache)
        return lock, host_installs(tmp_path / name, cache)

    with ThreadPoolExecutor(max_workers=3) as pool:
        host_side = dict(zip(templates, pool.map(host_npm, templates), strict=True))
    problems = []
    for name, (lock, adds) in host_side.items():
        outcome = compare(name, trees[name], lock, adds, host)
        problems += outcome.problems
        print(
            f"{name}: {len(trees[name].installed())} packages in the browser; "
            f"only on {host.os}/{host.cpu}: {short(outcome.host_only)}; "
            f"only in the browser: {short(outcome.browser_only)}"
        )
    host_s = time.monotonic() - started - ours_s
    print(f"ours {ours_s:.1f} s (filling the mirror), host npm {host_s:.1f} s")
    assert not problems, "\n".join(problems)


def test_host_npm_ci_accepts_our_lock(mirror: Mirror, tmp_path: Path) -> None:
    """The lock we write (portable: no mirror URLs) is one npm ci takes as it is."""
    host = host_platform()
    pkg = create_vite_templates(mirror.registry)["react-ts"]
    tree = resolve_ours(mirror.registry, {"react-ts": pkg}, host.node_version)["react-ts"]
    (tmp_path / "package.json").write_text(json.dumps(pkg, indent=2) + "\n")
    (tmp_path / "package-lock.json").write_text(dumps(portable(lock_document(tree))))
    (tmp_path / ".npmrc").write_text("")
    env = {**os.environ, "npm_config_cache": str(tmp_path / ".cache"), "NO_COLOR": "1"}
    env["npm_config_userconfig"] = str(tmp_path / ".npmrc")
    flags = ("--dry-run", "--ignore-scripts", "--no-audit", "--no-fund")
    run("npm", "ci", *flags, "--registry", mirror.registry, cwd=tmp_path, env=env)
