"""A broken build shows which boot step failed, on the page, instead of a blank screen."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_boot import wait_for_boot
from tests.support.live_server import StartServer


def broken_copy(dist: Path, target: Path, pattern: str, replacement: bytes | None) -> Path:
    """Hard-link copy of dist/ (cheap) with the files matching `pattern` removed or replaced."""
    shutil.copytree(dist, target, copy_function=os.link)
    victims = sorted(target.glob(pattern))
    assert victims, pattern
    for path in victims:
        path.unlink()  # never write through a hard link into the real dist/
        if replacement is not None and path.suffix not in {".br", ".gz"}:
            path.write_bytes(replacement)
    return target


@pytest.mark.parametrize(
    ("pattern", "replacement", "step", "says"),
    [
        ("assets/pyodide-*/pyodide.asm.wasm*", None, "interpreter", "pyodide.asm.wasm"),
        ("assets/pyodide-*/pyodide.asm.wasm*", b"\0asm garbage", "interpreter", "CompileError"),
        ("assets/client-*/client.zip*", None, "files", "client.zip"),
        ("assets/pyscript-*/core.js*", None, "pyscript", "core.js"),
    ],
    ids=["wasm-missing", "wasm-corrupt", "client-missing", "pyscript-missing"],
)
def test_boot_failure_names_the_step(
    page: Page,
    dist_dir: Path,
    tmp_path: Path,
    start_server: StartServer,
    artifacts: Path,
    request: pytest.FixtureRequest,
    pattern: str,
    replacement: bytes | None,
    step: str,
    says: str,
) -> None:
    broken = broken_copy(dist_dir, tmp_path / "dist", pattern, replacement)
    server = start_server(broken)
    page.goto(server.url + "/")
    assert wait_for_boot(page) == "error"
    box = page.locator("#boot-error")
    expect(box).to_be_visible()
    expect(box).to_contain_text(f'step "{step}"')
    expect(box).to_contain_text(says)
    assert page.evaluate("document.documentElement.dataset.bootFailedStep") == step
    expect(page.locator(f'#boot-steps li[data-step="{step}"]')).to_have_attribute(
        "data-state", "failed"
    )
    assert page.evaluate("performance.getEntriesByName('cospai:ready').length") == 0
    page.screenshot(path=artifacts / f"boot-error-{request.node.callspec.id}.png")
