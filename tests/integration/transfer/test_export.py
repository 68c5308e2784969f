"""Zip export: exactly the project's files, byte-exact, for its owner only; and back in
through import unchanged."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from tests.support.api import Api

from .conftest import SAMPLE, fill, import_new, read_zip


def test_export_holds_exactly_the_files_byte_exact(api: Api) -> None:
    pid = api.new_project("My Project: v2!")["id"]
    fill(api, pid, SAMPLE)
    response = api.get(f"/api/projects/{pid}/export", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "content-encoding" not in response.headers  # a zip is not gzipped again
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and 'filename="My-Project-v2.zip"' in disposition
    assert read_zip(response.content) == SAMPLE
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.testzip() is None
        assert not any(i.is_dir() for i in archive.infolist())
    # An empty project gives an empty zip.
    empty = api.new_project("empty")["id"]
    response = api.get(f"/api/projects/{empty}/export")
    assert response.status_code == 200
    assert read_zip(response.content) == {}


def test_export_is_only_for_the_owner(new_api: Any) -> None:
    owner, other = new_api(), new_api()
    owner.signup()
    pid = owner.new_project("p")["id"]
    assert other.get(f"/api/projects/{pid}/export").status_code == 401
    other.signup()
    assert other.get(f"/api/projects/{pid}/export").status_code == 404


def test_export_then_import_round_trips(api: Api) -> None:
    pid = api.new_project("source")["id"]
    fill(api, pid, SAMPLE)
    exported = api.get(f"/api/projects/{pid}/export").content
    response = import_new(api, exported, "copy")
    assert response.status_code == 201, response.text
    copy = response.json()["project"]
    assert copy["name"] == "copy" and copy["file_count"] == len(SAMPLE)
    assert api.contents(copy["id"]) == SAMPLE
    binary = {p for p, f in api.files(copy["id"]).items() if f["binary"]}
    assert binary == {"assets/logo.png", "data/blob.bin"}
