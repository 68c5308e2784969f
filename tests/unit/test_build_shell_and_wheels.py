"""The build's shell and wheelhouse phases on a small stage of our own: wheelhouse.txt is
read strictly (a line it cannot read names its number), a cached wheel counts only with
the pinned hash, the PEP 503 index links every wheel with its hash, index.html gets every
slot filled and no way to close its script element, sw.js is stamped with the build id, and
a static host's _headers and _redirects follow the base path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from builder import BuildError
from builder.groups import sha256_file
from builder.shell import (
    render_service_worker,
    render_shell,
    service_worker_rules,
    write_static_host_files,
)
from builder.wheels import fetch_wheels, parse_wheelhouse, write_wheelhouse
from contract import app_routes, isolation
from tests.support.paths import ROOT

PIN = "a" * 64


def test_wheelhouse_lines_comments_and_blanks(tmp_path: Path) -> None:
    listing = tmp_path / "wheelhouse.txt"
    listing.write_text(
        "# the wheels micropip installs offline\n"
        "\n"
        f"micropip==0.9.0 --hash=sha256:{PIN}   # the installer\n"
        f"   Typing_Extensions==4.12.2   --hash=sha256:{'b' * 64}\n"
    )
    assert parse_wheelhouse(listing) == [
        ("micropip", "0.9.0", PIN),
        ("Typing_Extensions", "4.12.2", "b" * 64),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "micropip==0.9.0",  # no hash: nothing would be checked
        f"micropip>=0.9 --hash=sha256:{PIN}",  # not one exact version
        f"micropip==0.9.0 --hash=sha512:{PIN}",
        f"micropip==0.9.0 --hash=sha256:{PIN[:-1]}",
        f"micropip==0.9.0 --hash=sha256:{PIN.upper()}",
        f"micro pip==0.9.0 --hash=sha256:{PIN}",
    ],
)
def test_a_line_the_build_cannot_read_is_named_by_number(tmp_path: Path, line: str) -> None:
    listing = tmp_path / "wheelhouse.txt"
    listing.write_text(f"# header\nmicropip==0.9.0 --hash=sha256:{PIN}\n{line}\n")
    with pytest.raises(BuildError, match=r"^wheelhouse\.txt:3: expected `name==version"):
        parse_wheelhouse(listing)


def test_a_cached_wheel_with_another_hash_does_not_count(tmp_path: Path) -> None:
    pins = parse_wheelhouse(ROOT / "wheelhouse.txt")
    name, version, _digest = pins[0]
    cache = tmp_path / "cache"
    cache.mkdir()
    stem = re.sub(r"[-_.]+", "_", name).lower()
    # The right file name, other bytes: a tampered or half-downloaded wheel.
    (cache / f"{stem}-{version}-py3-none-any.whl").write_bytes(b"not the pinned wheel")
    with pytest.raises(BuildError) as caught:
        fetch_wheels(cache, offline=True)
    message = str(caught.value)
    assert message.startswith("--offline, and these wheels are not cached: ")
    for pinned_name, pinned_version, _ in pins:
        assert f"{pinned_name}=={pinned_version}" in message


def test_the_wheelhouse_index_links_every_wheel_with_its_hash(tmp_path: Path) -> None:
    wheels = {}
    for name, content in (("micropip", b"wheel one"), ("typing-extensions", b"wheel two")):
        wheel = tmp_path / f"{name.replace('-', '_')}-1.0-py3-none-any.whl"
        wheel.write_bytes(content)
        wheels[name] = wheel
    stage = tmp_path / "stage"
    url = write_wheelhouse(stage, wheels)
    assert re.fullmatch(r"assets/wheelhouse-[0-9a-f]{12}/", url)
    group = stage / url
    root = (group / "simple" / "index.html").read_text()
    assert '<a href="micropip/">micropip</a>' in root
    assert '<a href="typing-extensions/">typing-extensions</a>' in root
    for name, wheel in wheels.items():
        copied = group / "wheels" / wheel.name
        assert copied.read_bytes() == wheel.read_bytes()
        page = (group / "simple" / name / "index.html").read_text()
        href = f"../../wheels/{wheel.name}#sha256={sha256_file(wheel)}"
        assert f'<a href="{href}">{wheel.name}</a>' in page
        # The link resolves from the page's folder to the copied wheel.
        target = (group / "simple" / name / href.split("#")[0]).resolve()
        assert target == copied.resolve()


ASSETS = {
    "pyodide": "assets/pyodide-000000000001/",
    "pyscript": "assets/pyscript-000000000002/",
    "client": "assets/client-000000000003/",
}


@pytest.mark.parametrize(("base", "static_only"), [("/", False), ("/ide/", True)])
def test_the_shell_has_every_slot_filled(tmp_path: Path, base: str, static_only: bool) -> None:
    render_shell(tmp_path, ASSETS, "0123456789abcdef", base, static_only)
    html = (tmp_path / "index.html").read_text()
    assert "{{" not in html
    assert "0123456789abcdef" in html
    assert "./assets/pyodide-000000000001/" in html
    payload = re.search(r'<script type="application/json" id="cospai-assets">(.*?)</script>', html)
    assert payload is not None, "the assets JSON is in the page"
    data = json.loads(payload[1])
    assert data["mode"] == ("static" if static_only else "server")
    assert data["assets"]["client"] == "./assets/client-000000000003/"
    assert data["assets"]["pyscript_config"] == "./pyscript.json"
    assert set(data["versions"]) >= {"pyodide", "monaco-editor", "@pyscript/core"}
    config = json.loads((tmp_path / "pyscript.json").read_text())
    assert config["interpreter"] == f"{base}assets/pyodide-000000000001/boot.mjs"
    assert config["files"] == {f"{base}assets/client-000000000003/client.zip": "./*"}
    assert all(plugin.startswith("!") for plugin in config["plugins"])


def test_no_asset_name_can_close_the_script_element(tmp_path: Path) -> None:
    hostile = {**ASSETS, "client": "assets/</script><script>alert(1)//"}
    render_shell(tmp_path, hostile, "0123456789abcdef")
    html = (tmp_path / "index.html").read_text()
    assert "</script><script>alert(1)" not in html
    assert "\\u003c/script>" in html


@pytest.mark.parametrize("static_only", [False, True])
def test_the_service_worker_is_stamped(tmp_path: Path, static_only: bool) -> None:
    render_service_worker(tmp_path, "fedcba9876543210", static_only)
    script = (tmp_path / "sw.js").read_text()
    first, second, third = script.splitlines()[:3]
    assert first == "// CosPAI IDE service worker, build fedcba9876543210. Generated by build.py."
    assert second == 'const BUILD_ID = "fedcba9876543210";'
    assert third == f"const STATIC_ONLY = {'true' if static_only else 'false'};"
    assert f"const ISOLATION = {json.dumps(isolation.IDE, indent=2)};" in script
    assert service_worker_rules() in script
    assert (ROOT / "service_worker" / "sw.js").read_text() in script


def test_the_routing_rules_start_with_the_apps_routes() -> None:
    rules = service_worker_rules()
    assert rules.splitlines()[0] == f"const APP_ROUTES = {json.dumps(list(app_routes.SHELL))};"


@pytest.mark.parametrize("base", ["/", "/ide/"])
def test_static_host_files_follow_the_base(tmp_path: Path, base: str) -> None:
    write_static_host_files(tmp_path, base)
    headers = (tmp_path / "_headers").read_text().splitlines()
    assert f"{base}*" in headers
    for name, value in isolation.IDE.items():
        spelled = "-".join(word.capitalize() for word in name.split("-"))
        assert f"  {spelled}: {value}" in headers
    assert headers[headers.index(f"{base}assets/*") + 1] == (
        "  Cache-Control: public, max-age=31536000, immutable"
    )
    assert headers[headers.index(f"{base}sw.js") + 1] == "  Cache-Control: no-cache"
    redirects = (tmp_path / "_redirects").read_text().splitlines()
    assert f"{base}p/*  {base}index.html  200" in redirects
    assert f"{base}projects  {base}index.html  200" in redirects
