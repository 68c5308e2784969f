"""The shell and its config name only same-origin URLs (rule 5: nothing off our origin).

Vendored libraries may contain URL strings; what the browser really fetches is checked
by the e2e request log. Here we hold index.html and pyscript.json to relative URLs.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from tests.support.paths import ROOT


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href", "config", "action", "poster", "data"} and value:
                self.urls.append(value)


def is_same_origin(url: str) -> bool:
    if url.startswith("data:"):
        return True
    return not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.IGNORECASE)


def test_index_names_only_relative_urls(dist_dir: Path) -> None:
    html = (dist_dir / "index.html").read_text()
    parser = _Links()
    parser.feed(html)
    assert parser.urls, "no URLs found: the parser or the shell changed"
    assert [u for u in parser.urls if not is_same_origin(u)] == []
    assert not re.search(r"https?://", html)
    assert "{{" not in html  # every build slot filled


def test_asset_map_and_pyscript_config_are_relative(dist_dir: Path) -> None:
    html = (dist_dir / "index.html").read_text()
    payload = html.split('id="cospai-assets">', 1)[1].split("</script>", 1)[0]
    assets = json.loads(payload)["assets"]
    assert {"pyodide", "pyscript", "monaco", "xterm", "webcontainer", "client"} <= set(assets)
    for url in assets.values():
        assert url.startswith("./") and is_same_origin(url)
        if url.endswith("/"):
            assert (dist_dir / url[2:]).is_dir(), url
    config = json.loads((dist_dir / "pyscript.json").read_text())
    # Root-relative (PyScript resolves against the page URL, which may be a deep link).
    assert config["interpreter"].startswith("/assets/pyodide-")
    assert (dist_dir / config["interpreter"][1:]).is_file()
    for source, _target in config["files"].items():
        assert source.startswith("/assets/") and (dist_dir / source[1:]).is_file()


def test_template_has_the_boot_contract() -> None:
    """Tools and tests rely on data-ide-state and the cospai:<step> marks."""
    template = (ROOT / "index.html").read_text()
    assert 'data-ide-state="booting"' in template
    assert "performance.mark(`cospai:${step}`)" in template
