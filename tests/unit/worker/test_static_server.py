"""client/worker/static_server.py: `python -m http.server` serves a folder in the preview
(through serve()), with index.html, types, listings, 404s and nothing outside the folder."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from client.worker import serve as serving
from client.worker.static_server import http_server

pytestmark = pytest.mark.usefixtures("announced")  # tests/unit/worker/conftest.py


def get(port: int, path: str) -> dict:
    return asyncio.run(
        serving.handle(
            port, {"method": "GET", "path": path, "query": "", "headers": {}, "body": b""}
        )
    )


def test_the_folder_is_served_on_the_port(
    tmp_path: Path, announced: list[int], capsys: pytest.CaptureFixture
) -> None:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "index.html").write_text("<h1>home</h1>")
    (site / "style.css").write_text("h1{}")
    (site / "docs" / "a b.txt").write_text("spaced")
    (tmp_path / "secret.txt").write_text("outside")
    os.symlink(tmp_path / "secret.txt", site / "link.txt")
    http_server(["8123"], str(site))
    assert announced == [8123]
    assert "port 8123" in capsys.readouterr().out
    home = get(8123, "/")
    assert (home["status"], home["body"]) == (200, b"<h1>home</h1>")
    assert ["content-type", "text/css; charset=utf-8"] in get(8123, "/style.css")["headers"]
    assert get(8123, "/docs/a%20b.txt")["body"] == b"spaced"
    listing = get(8123, "/docs/")
    assert listing["status"] == 200 and b'href="a%20b.txt"' in listing["body"]
    assert get(8123, "/nope")["status"] == 404
    assert get(8123, "/../secret.txt")["status"] == 404
    assert get(8123, "/link.txt")["status"] == 404  # a symlink out of the folder


def test_directory_option_and_default_port(tmp_path: Path, announced: list[int]) -> None:
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "index.html").write_text("public")
    http_server(["-d", "public"], str(tmp_path))
    assert announced == [8000]
    assert get(8000, "/")["body"] == b"public"
