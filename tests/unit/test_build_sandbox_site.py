"""builder/sandbox_site.py: a static-only build's sandbox site. The origin pattern is
checked (hostile values refused with the flag's name), and the folder holds exactly what
the server's sandbox origin answers: its pages at the root, the offline list, the runtime's
asset groups (hard links, no second copy) and none of the IDE's own files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder import BuildError
from builder.sandbox_site import check_pattern, write_sandbox_site
from contract import sandbox_files

KEPT = {
    "https://{project}.sandbox.example.com": "https://{project}.sandbox.example.com",
    "http://{project}.localhost:8001/": "http://{project}.localhost:8001",
    " https://sandbox.example.net ": "https://sandbox.example.net",
}


@pytest.mark.parametrize(("given", "kept"), KEPT.items())
def test_origin_patterns_are_kept(given: str, kept: str) -> None:
    assert check_pattern(given) == kept


@pytest.mark.parametrize(
    "hostile",
    [
        "{project}.sandbox.example.com",  # no scheme
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://{project}.example.com/path",
        "https://{project}.example.com?x=1",
        "https://{project}.example.com#frag",
        "https://user@{project}.example.com",
        "https://{project}.example.com:99999",
        "https://{project}.example.com:port",
        "https://",
        "https://x{project}.example.com",  # the key must be a whole label
        "https://{project}.{project}.example.com",
        "",
    ],
)
def test_hostile_patterns_are_refused(hostile: str) -> None:
    with pytest.raises(BuildError, match="--sandbox-host"):
        check_pattern(hostile)


def stage_with_assets(stage: Path) -> None:
    for name in sandbox_files.FILES.values():
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        (stage / name).write_text(f"// {name}\n")
    for name in [
        "assets/pyodide-0123456789ab/pyodide.asm.wasm",
        "assets/client-0123456789ab/client.zip",
        "assets/wheelhouse-0123456789ab/simple/index.html",
        "assets/monaco-0123456789ab/editor.js",  # the IDE's: not the runtime's
        "index.html",
    ]:
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        (stage / name).write_bytes(name.encode())


def test_the_folder_holds_what_the_sandbox_origin_serves(tmp_path: Path) -> None:
    stage_with_assets(tmp_path)
    folder = write_sandbox_site(tmp_path, "b1")
    found = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert found == sorted(
        [
            "_headers",
            "assets/client-0123456789ab/client.zip",
            "assets/pyodide-0123456789ab/pyodide.asm.wasm",
            "assets/wheelhouse-0123456789ab/simple/index.html",
            "relay.html",
            "relay.js",
            "runtime.html",
            "runtime.js",
            "sandbox-files.json",
            "sw.js",
        ]
    )
    assert (folder / "runtime.js").read_text() == "// sandbox-origin/runtime.js\n"
    listing = json.loads((folder / "sandbox-files.json").read_text())
    assert listing == {
        "build_id": "b1",
        "files": [
            "/relay.html",
            "/relay.js",
            "/runtime.html",
            "/runtime.js",
            "/assets/client-0123456789ab/client.zip",
            "/assets/pyodide-0123456789ab/pyodide.asm.wasm",
            "/assets/wheelhouse-0123456789ab/simple/index.html",
        ],
    }
    wasm = folder / "assets/pyodide-0123456789ab/pyodide.asm.wasm"
    assert (
        wasm.stat().st_ino
        == (tmp_path / "assets/pyodide-0123456789ab/pyodide.asm.wasm").stat().st_ino
    )


def test_its_headers_isolate_it_for_the_ide_that_embeds_it(tmp_path: Path) -> None:
    stage_with_assets(tmp_path)
    headers = (write_sandbox_site(tmp_path, "b1") / "_headers").read_text()
    rules = headers.split("/assets/*")[0]
    assert "/*\n" in rules
    for line in [
        "  Cross-Origin-Embedder-Policy: require-corp",
        "  Cross-Origin-Resource-Policy: cross-origin",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: no-referrer",
    ]:
        assert line in rules
    # The IDE's own opener policy is not the sandbox's: its pages live in the IDE's frames.
    assert "Cross-Origin-Opener-Policy" not in headers
    assert "immutable" in headers.split("/assets/*")[1]
