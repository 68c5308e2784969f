"""`pip install` through the server's package mirror, in the terminal: a package the
wheelhouse does not have, seeded into the mirror with `cospai mirror seed` (a real wheel
made here), installs and imports; a name the upstream does not know says "no such
package", a package with only a native wheel "no wheel for this Python in the browser", a
name asked while the upstream is down "upstream unreachable"; then, with the network off
and the page reloaded, the same install works again from what the sandbox kept. The
server's upstream is a registry that knows no package (tests/support/mirror.py), and the
browser fetches nothing off this machine."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e import flows
from tests.e2e.test_offline import (  # noqa: F401  (fixtures: Chromium as Chrome ships)
    partitioned_context,
    partitioned_page,
    reload_offline,
    wait_offline_ready,
    wait_sandbox_offline_ready,
)
from tests.e2e.test_terminal import type_line, wait_for_prompt, wait_for_text
from tests.support.browser import off_machine
from tests.support.cli import run_cli
from tests.support.live_server import StartServer
from tests.support.mirror import empty_registry, serving

PROJECT = "cospai-mirrored-demo"  # not in the wheelhouse (wheelhouse.txt)
MODULE = PROJECT.replace("-", "_")
VERSION = "1.2"
IMPORT_IT = f'python -c "import {MODULE} as m; print(m.answer())"'
ANSWER = "mirrored 42"  # what answer() returns; the typed line never contains it
# What the sandbox keeps of the mirror's answers (client/glue/mirror-cache.mjs).
KEPT = "async () => (await (await caches.open('cospai-mirror-pypi')).keys()).map((r) => r.url)"


COMPILED = "cospai-compiled-demo"  # its one wheel is for a native platform only
NATIVE = "cp314-cp314-manylinux_2_17_x86_64"


def make_wheel(folder: Path, project: str = PROJECT, tag: str = "py3-none-any") -> Path:
    """A valid wheel: a module, METADATA, WHEEL and a RECORD with hashes."""
    module = project.replace("-", "_")
    info = f"{module}-{VERSION}.dist-info"
    pure = "true" if tag == "py3-none-any" else "false"
    members = {
        f"{module}.py": "def answer():\n    return 'mirrored ' + str(6 * 7)\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {project}\nVersion: {VERSION}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: cospai-tests\n"
        f"Root-Is-Purelib: {pure}\nTag: {tag}\n",
    }
    record = []
    for name, text in members.items():
        digest = hashlib.sha256(text.encode()).digest()
        encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        record.append(f"{name},sha256={encoded},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    members[f"{info}/RECORD"] = "\n".join(record) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{module}-{VERSION}-{tag}.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return wheel


def test_pip_installs_from_the_mirror_and_again_offline(
    page: Page,
    start_server: StartServer,
    request_log: list[str],
    tmp_path: Path,
    artifacts: Path,
) -> None:
    with serving(empty_registry) as (upstream, counting):
        server = start_server(extra_env={"COSPAI_PYPI_UPSTREAM": f"{upstream.url}/"})
        make_wheel(tmp_path / "wheels")
        make_wheel(tmp_path / "wheels", COMPILED, NATIVE)
        seeded = run_cli(
            "mirror", "seed", str(tmp_path / "wheels"), database_url=server.database_url
        )
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr

        flows.sign_up(page, server.url)
        flows.create_project(page, "pip from the mirror", "python-cli")
        wait_for_prompt(page)
        type_line(page, f"pip install {PROJECT}")
        wait_for_text(page, f"Successfully installed {PROJECT}-{VERSION}", 60_000)
        type_line(page, IMPORT_IT)
        wait_for_text(page, ANSWER)
        type_line(page, "pip install no-such-pkg-xyz")
        wait_for_text(page, "no-such-pkg-xyz: no such package", 60_000)
        type_line(page, f"pip install {COMPILED}")
        wait_for_text(page, f"{COMPILED}: no wheel for this Python in the browser", 60_000)
        counting.down = True  # the upstream now answers 503 to everything
        type_line(page, "pip install not-kept-pkg-xyz")
        wait_for_text(page, "not-kept-pkg-xyz: upstream unreachable", 60_000)
        counting.down = False

        wait_offline_ready(page)
        wait_sandbox_offline_ready(page)
        (runtime,) = [frame for frame in page.frames if "/runtime.html" in frame.url]
        kept = runtime.evaluate(KEPT)
        assert any(url.endswith(f"/pypi/simple/{PROJECT}/") for url in kept), kept
        assert any(url.endswith(f"/{MODULE}-{VERSION}-py3-none-any.whl") for url in kept), kept
        assert not any("no-such-pkg-xyz" in url for url in kept), kept  # a 404 is not kept
        reload_offline(page)
        wait_for_prompt(page)
        type_line(page, f"clear && pip install {PROJECT}")
        wait_for_text(page, f"Successfully installed {PROJECT}-{VERSION}", 60_000)
        type_line(page, IMPORT_IT)
        wait_for_text(page, ANSWER)
        page.screenshot(path=artifacts / "pip-mirror-offline.png")
        page.context.set_offline(False)

    assert off_machine(request_log) == []
