"""Types in the editor from what is installed, on an untouched create-vite react-ts
project: before node_modules exists the editor says once that `npm install` brings the
types and shows no "Cannot find module" squiggles; after `npm install` in the runtime's
terminal, src/App.tsx and src/main.tsx check with 0 errors, hovering `useState` shows
React's signature and `React.` completes React's API.

The packages are real: the template comes from create-vite's tarball (`npm pack` on this
machine), and `npm install` in the browser takes every package through the server's
mirror, whose upstream is the registry this machine's configuration names. Where that
registry cannot be reached, the test skips and says so.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e import flows
from tests.e2e.seed import import_project
from tests.e2e.test_editor import editor_eval
from tests.e2e.test_terminal import type_line, wait_for_prompt, wait_for_text
from tests.integration.mirror.test_live_upstream import configured
from tests.support import create_vite
from tests.support.browser import off_machine
from tests.support.live_server import StartServer

MISSING_CODES = {2307, 2875, 7016, 7026}
# React's own declaration, as TypeScript prints it (qualified names or not).
SIGNATURE = re.compile(
    r"function useState<S>\(initialState: S \| \(\(\) => S\)\): "
    r"\[S, (React\.)?Dispatch<(React\.)?SetStateAction<S>>\]"
)


@pytest.fixture(scope="session")
def packed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The react-ts template's files."""
    if shutil.which("npm") is None:
        pytest.fail("npm is not installed (make deps needs it)")
    try:
        return {"template": create_vite.template("react-ts", tmp_path_factory.mktemp("packs"))}
    except create_vite.Unreachable as error:
        pytest.skip(str(error))  # only the registry being out of reach is a reason to skip


def terminal_text(page: Page) -> str:
    return str(page.inner_text("#bottom-panel .term-host:not([hidden]) .xterm-rows"))


def diagnostics(page: Page, path: str) -> list[list[Any]]:
    """What the TypeScript worker itself reports for a file (syntax and semantics, with
    nothing filtered), as [code, message]."""
    return editor_eval(
        page,
        """const uri = monaco.Uri.file("/" + arg);
        const worker = await (await monaco.typescript.getTypeScriptWorker())(uri);
        const found = [
            ...(await worker.getSyntacticDiagnostics(uri.toString())),
            ...(await worker.getSemanticDiagnostics(uri.toString())),
        ];
        const text = (m) => typeof m === "string" ? m : m.messageText;
        return found.map((d) => [d.code, text(d.messageText)]);""",
        path,
    )


def markers(page: Page, path: str) -> list[list[Any]]:
    return editor_eval(
        page,
        """return monaco.editor.getModelMarkers({resource: monaco.Uri.file("/" + arg)})
            .map((m) => [Number(m.code), m.message]);""",
        path,
    )


def wait_markers(page: Page, path: str, timeout_ms: float = 60_000) -> None:
    """Until the editor has checked the file on screen with the current types (its markers
    equal what the worker says once the worker has settled)."""
    page.wait_for_function(
        """async (path) => {
            const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
            const {monaco} = await import(url);
            const uri = monaco.Uri.file("/" + path);
            const worker = await (await monaco.typescript.getTypeScriptWorker())(uri);
            const all = await worker.getSemanticDiagnostics(uri.toString());
            const shown = monaco.editor.getModelMarkers({resource: uri});
            return all.length === 0 && shown.length === 0;
        }""",
        arg=path,
        timeout=timeout_ms,
        polling=500,
    )


def test_create_vite_react_ts_types_before_and_after_install(
    page: Page, start_server: StartServer, request_log: list[str], artifacts: Path, packed: Any
) -> None:
    live_server = start_server(extra_env={"COSPAI_NPM_UPSTREAM": configured("npm")})
    flows.sign_up(page, live_server.url)
    project = import_project(page, "react-ts", packed["template"])
    # The runtime is the Pyodide engine (auto would try WebContainer for a package.json).
    page.evaluate(
        "(key) => localStorage.setItem(key, JSON.stringify({runtime: 'pyodide'}))",
        f"cospai-layout-{project}",
    )
    page.goto(f"{live_server.url}/p/{project}?debug=1")
    flows.wait_for_workbench(page)
    page.evaluate(
        """() => {
            window.typesNotices = 0;
            new MutationObserver(() => {
                const text = document.getElementById("status-notice").textContent;
                if (text.includes("npm install")) window.typesNotices += 1;
            }).observe(document.getElementById("status-notice"), {childList: true,
                characterData: true, subtree: true});
        }"""
    )
    flows.open_file(page, "src/App.tsx")
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=90_000)

    # Before install: one quiet notice, no wall of "Cannot find module" squiggles.
    page.wait_for_function("document.documentElement.dataset.types === 'missing'", timeout=60_000)
    assert "npm install" in page.inner_text("#status-notice")
    assert page.evaluate("document.documentElement.dataset.tsconfig") == "tsconfig.app.json"
    page.wait_for_timeout(1500)  # the worker checks the file on screen meanwhile
    before = markers(page, "src/App.tsx")
    unfiltered = {code for code, _ in diagnostics(page, "src/App.tsx")}
    assert unfiltered & MISSING_CODES, "the worker should see the packages missing"
    assert not {code for code, _ in before} & MISSING_CODES, before
    flows.open_file(page, "src/main.tsx")
    page.wait_for_timeout(1000)
    assert not {code for code, _ in markers(page, "src/main.tsx")} & MISSING_CODES
    assert page.evaluate("window.typesNotices") == 1

    # The install, in the runtime's terminal, through the server's mirror.
    wait_for_prompt(page)
    type_line(page, "npm install")
    try:
        wait_for_text(page, " packages in ", 300_000)
    except PlaywrightTimeout:
        if "upstream unreachable" in terminal_text(page):
            pytest.skip("the configured npm registry is unreachable from the mirror")
        raise
    assert "npm error" not in terminal_text(page), terminal_text(page)
    page.wait_for_function("document.documentElement.dataset.types === 'ready'", timeout=60_000)
    assert int(page.evaluate("document.documentElement.dataset.typesFiles")) >= 8
    assert "Types loaded from node_modules" in page.inner_text("#status-notice")

    # 0 errors in both files, as the worker computes them and as the editor shows them.
    wait_markers(page, "src/main.tsx")
    assert diagnostics(page, "src/main.tsx") == []
    flows.open_file(page, "src/App.tsx")
    wait_markers(page, "src/App.tsx")
    assert diagnostics(page, "src/App.tsx") == []

    # Hovering useState (in the import line) shows React's own signature.
    editor_eval(
        page,
        """editor.setPosition({lineNumber: 1, column: 12});
        editor.focus();
        editor.trigger("test", "editor.action.showHover", {});""",
    )
    hover = page.locator(".monaco-hover:not(.hidden) .hover-contents").first
    hover.wait_for(timeout=30_000)
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('.monaco-hover')]"
        ".some((h) => h.textContent.includes(text))",
        arg="useState<S>",
        timeout=30_000,
    )
    text = " ".join(page.locator(".monaco-hover").all_inner_texts())
    assert SIGNATURE.search(" ".join(text.split())), text
    page.screenshot(path=str(artifacts / "editor-types-hover.png"))

    # `React.` completes React's API.
    page.keyboard.press("Escape")
    editor_eval(
        page,
        """const model = editor.getModel();
        const end = model.getLineCount();
        model.pushEditOperations([], [{range: new monaco.Range(end, 1, end, 1),
            text: "import * as React from 'react'\\nReact.useEff\\n"}], () => null);
        editor.setPosition({lineNumber: end + 1, column: 13});
        editor.focus();
        editor.trigger("test", "editor.action.triggerSuggest", {});""",
    )
    page.wait_for_selector(".suggest-widget.visible .monaco-list-row", timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector('.suggest-widget.visible').textContent.includes('useEffect')",
        timeout=30_000,
    )
    names = editor_eval(
        page,
        """const model = editor.getModel();
        const uri = model.uri;
        const worker = await (await monaco.typescript.getTypeScriptWorker())(uri);
        const at = model.getOffsetAt({lineNumber: model.getLineCount() - 1, column: 7});
        const found = await worker.getCompletionsAtPosition(uri.toString(), at);
        return found.entries.map((e) => e.name);""",
    )
    assert {"useEffect", "useState", "createElement", "Component"} <= set(names), names[:20]
    assert off_machine(request_log) == []
