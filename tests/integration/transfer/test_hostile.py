"""Hostile zips and uploads: refused with a message that names the entry and says what to
do, the project unchanged, and the memory an import may use bounded by the zip's size."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from typing import Any

import pytest

from server import zips
from server.errors import ApiError
from server.sync_rules import RULES
from tests.support.api import Api

from .conftest import (
    fill,
    import_into,
    import_new,
    make_zip,
    project_names,
    snapshot,
    upload,
)


def the_bomb() -> bytes:
    """As found by the probe: a few hundred KB that inflate to more than a project holds,
    each entry under the one-file limit, so only the running total could stop it."""
    count = RULES.max_project_bytes // RULES.max_file_bytes + 1
    data = make_zip([(f"f{i}.bin", bytes(RULES.max_file_bytes)) for i in range(count)])
    assert len(data) < 300 * 1024
    return data


def encrypted(entries: list[tuple[str, bytes]], which: str) -> bytes:
    """A zip whose entry `which` says it is encrypted (bit 0 of its flags, in the local
    header and the central directory), as a password-protected zip does."""
    data = bytearray(make_zip(entries))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) != -1:
            name_at = found + (30 if offset == 6 else 46)
            if data[name_at : name_at + len(which)] == which.encode():
                data[found + offset] |= 0x1
            start = found + 4
    return bytes(data)


def with_nul_in_name(data: bytes, name: str) -> bytes:
    """zipfile cannot write a NUL in a name (it cuts there): write \x01 and patch it, in
    the local header and the central directory."""
    placeholder, wanted = name.replace("\0", "\x01").encode(), name.encode()
    out, patched = bytearray(data), 0
    for signature, length_at, name_at in ((b"PK\x03\x04", 26, 30), (b"PK\x01\x02", 28, 46)):
        start = 0
        while (found := out.find(signature, start)) != -1:
            size = int.from_bytes(out[found + length_at : found + length_at + 2], "little")
            at = found + name_at
            if out[at : at + size] == placeholder:
                out[at : at + size], patched = wanted, patched + 1
            start = found + 4
    assert patched == 2
    return bytes(out)


def refused(response: Any, status: int, code: str, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    for word in words:
        assert word in error["message"], error
    assert "ZipInfo" not in error["message"] and "Operation" not in error["message"]
    return error


def both_imports(
    api: Api, pid: str, url: str, data: bytes, status: int, code: str, *words: str
) -> dict[str, Any]:
    before, names = snapshot(api, pid, url), project_names(api)
    errors = [
        refused(r, status, code, *words)
        for r in (import_into(api, pid, data), import_new(api, data, "never"))
    ]
    assert snapshot(api, pid, url) == before and project_names(api) == names
    return errors[0]


def test_an_entry_whose_name_holds_nul_is_refused_by_name(api: Api, database_url: str) -> None:
    pid = api.new_project("target")["id"]
    fill(api, pid, {"keep.txt": b"k"})
    for name in ("evil.txt\0.png", "dir/a\0/b.txt", "\0"):
        data = with_nul_in_name(
            make_zip([("ok.txt", b"ok"), (name.replace("\0", "\x01"), b"MZ\x90\x00")]), name
        )
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # what zipfile itself shows
            assert all("\0" not in info.filename for info in archive.infolist())
        error = both_imports(
            api, pid, database_url, data, 422, "zip_bad_path", repr(name), "control character"
        )
        assert error["details"]["entry"] == name
    assert api.files(pid).keys() == {"keep.txt"}


def test_an_encrypted_entry_is_refused_in_plain_words(api: Api, database_url: str) -> None:
    pid = api.new_project("target")["id"]
    data = encrypted([("a.txt", b"a"), ("secret/keys.txt", b"k" * 100)], "secret/keys.txt")
    error = both_imports(
        api,
        pid,
        database_url,
        data,
        422,
        "zip_encrypted",
        "'secret/keys.txt'",
        "encrypted",
        "without a password",
    )
    assert error["details"]["entry"] == "secret/keys.txt"


def test_a_zip_bomb_is_refused_within_bounded_memory() -> None:
    """The 279 KB zip that inflated 200 MB in memory before it was refused."""
    data = the_bomb()
    budget = zips.inflate_budget(len(data))
    assert budget == zips.FLOOR_BYTES
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with pytest.raises(ApiError) as caught:
            zips.read(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.status == 413 and caught.value.code == "zip_too_large"
    assert f"more than {zips.MAX_RATIO} times its size" in caught.value.message
    # What was inflated before the refusal (at most the budget), plus one 64 KB chunk and
    # the list of chunks joined once: never the 200 MB.
    assert peak < budget + 12 * 1024 * 1024, peak


def test_the_bomb_over_http_leaves_everything_unchanged(api: Api, database_url: str) -> None:
    pid = api.new_project("target")["id"]
    both_imports(api, pid, database_url, the_bomb(), 413, "zip_too_large", "zip bomb")


def test_a_real_project_still_imports_whatever_its_ratio_allows() -> None:
    text = b"".join(b"line %d of some source code\n" % i for i in range(200_000))  # ~5.5 MB
    files, skipped = zips.read(make_zip([("src/big.txt", text), ("b.txt", b"b")]))
    assert files == {"src/big.txt": text, "b.txt": b"b"} and skipped == []
    assert zips.inflate_budget(1) == zips.FLOOR_BYTES
    assert zips.inflate_budget(RULES.max_request_bytes) == RULES.max_project_bytes


def test_import_conflicts_name_the_file(api: Api, database_url: str) -> None:
    response = import_new(api, make_zip([("a", b"file"), ("a/b.txt", b"inside")]))
    error = refused(response, 409, "file_in_the_way", "'a/b.txt'", "'a' is a file")
    assert error["message"].startswith("The imported file 'a/b.txt'")
    pid = api.new_project("target")["id"]
    fill(api, pid, {"src/a.js": b"a", "readme.md": b"r"})
    refused(
        import_into(api, pid, make_zip([("src", b"a file")])),
        409,
        "folder_in_the_way",
        "The imported file 'src'",
        "is a folder",
    )
    refused(
        import_into(api, pid, make_zip([("README.md", b"R")])),
        409,
        "case_conflict",
        "The imported file 'README.md'",
        "differs only by case",
        "'readme.md'",
    )
    refused(upload(api, pid, [("src", b"x")]), 409, "folder_in_the_way", "'src' is a folder")


def test_an_upload_part_without_a_file_name_is_named(api: Api) -> None:
    pid = api.new_project("target")["id"]
    url = f"/api/projects/{pid}/upload"
    for files in ([("notes", ("", b"x", "text/plain"))], {"notes": (None, b"plain field")}):
        response = api.post(url, files=files)
        error = refused(
            response, 400, "malformed_multipart", "'notes'", "no file name", "filename is its path"
        )
        assert "Too many fields" not in error["message"]
        assert error["details"]["part"] == "notes"
    assert api.files(pid) == {}


def test_an_upload_without_content_length_is_refused(api: Api) -> None:
    pid = api.new_project("target")["id"]

    def chunks() -> Any:
        yield b"--b\r\nContent-Disposition: form-data; name=f; filename=a.txt\r\n\r\na\r\n--b--\r\n"

    response = api.post(
        f"/api/projects/{pid}/upload",
        content=chunks(),
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    refused(response, 411, "length_required", "Content-Length")


def test_a_rename_without_to_says_what_is_missing(api: Api) -> None:
    pid = api.new_project("target")["id"]
    fill(api, pid, {"a.txt": b"a"})
    for op in (
        {"op": "rename", "path": "a.txt", "base_version": 1},
        {"op": "rename", "path": "a.txt", "base_version": 1, "to": None},
    ):
        response = api.sync(pid, [op])
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["details"] == {"op": 0, "field": "to"}
        assert "a rename needs 'to', the file's new path" in error["message"]
