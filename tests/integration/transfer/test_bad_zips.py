"""Bad zips are refused whole, before one byte is stored: zip slip, symlinks, bombs, case
clashes and broken streams leave the project (or the set of projects) unchanged."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any

import pytest

from server.sync_rules import RULES
from tests.support.api import Api

from .conftest import fill, import_into, import_new, make_zip, project_names, snapshot


def _bomb() -> bytes:
    data = make_zip([("bomb.txt", bytes(RULES.max_file_bytes + (1 << 20)))])
    assert len(data) < 64 * 1024
    return data


def _lying_bomb() -> bytes:
    """A bomb whose headers claim the entry inflates to 10 bytes."""
    data = bytearray(_bomb())
    packed = struct.pack("<I", RULES.max_file_bytes + (1 << 20))
    assert data.count(packed) == 2  # the local header and the central directory
    start = 0
    while (found := data.find(packed, start)) != -1:
        data[found : found + 4] = struct.pack("<I", 10)
        start = found + 4
    return bytes(data)


def _truncated() -> bytes:
    data = make_zip([("a.txt", b"hello " * 1000)])
    return data[: len(data) // 2]


def _corrupt_stream(method: int) -> bytes:
    """A well-formed zip whose only entry's compressed stream is garbage past its start."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("a.txt", bytes(range(256)) * 20 + b"a" * 2000)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.infolist()[0]
    start = 30 + len(info.filename) + len(info.extra) + 4  # local header, then the stream
    data[start : start + 8] = b"\xff" * 8
    if method == zipfile.ZIP_DEFLATED:  # the stream really is broken
        with pytest.raises(zlib.error):
            zlib.decompressobj(-15).decompress(bytes(data[start - 4 :]))
    return bytes(data)


BAD_ZIPS: dict[str, tuple[bytes, int, set[str]]] = {
    "slip_dotdot": (make_zip([("ok.txt", b"ok"), ("../evil", b"x")]), 422, {"zip_slip"}),
    "slip_absolute": (make_zip([("ok.txt", b"ok"), ("/abs", b"x")]), 422, {"zip_slip"}),
    "slip_inside": (make_zip([("ok.txt", b"ok"), ("a/../../b", b"x")]), 422, {"zip_slip"}),
    "slip_backslash": (
        make_zip([("ok.txt", b"ok"), ("..\\evil", b"x")]),
        422,
        {"zip_slip", "zip_bad_path"},
    ),
    "slip_under_top": (
        make_zip([("top/ok.txt", b"ok"), ("top/../../evil", b"x")]),
        422,
        {"zip_slip"},
    ),
    "symlink": (
        make_zip([("ok.txt", b"ok"), ("link", b"/etc/passwd")], symlinks=("link",)),
        422,
        {"zip_symlink"},
    ),
    "not_a_zip": (b"this is not a zip file at all" * 10, 422, {"bad_zip"}),
    "empty_body": (b"", 422, {"bad_zip"}),
    "truncated": (_truncated(), 422, {"bad_zip"}),
    "bomb": (_bomb(), 413, {"zip_too_large"}),
    "lying_bomb": (_lying_bomb(), 422, {"bad_zip", "zip_too_large"}),
    "case_twins": (make_zip([("README.md", b"a"), ("readme.md", b"b")]), 422, {"zip_duplicate"}),
    "same_name_twice": (make_zip([("a.txt", b"a"), ("a.txt", b"b")]), 422, {"zip_duplicate"}),
    "control_char": (make_zip([("ok.txt", b"ok"), ("bad\x01name", b"x")]), 422, {"zip_bad_path"}),
    "empty_segment": (make_zip([("ok.txt", b"ok"), ("a//b", b"x")]), 422, {"zip_bad_path"}),
}


def _refused_leaving_all_unchanged(
    api: Api, url: str, pid: str, data: bytes, status: int, codes: set[str], label: str
) -> dict[str, Any]:
    before = snapshot(api, pid, url)
    names = project_names(api)
    errors = []
    for response in (import_into(api, pid, data), import_new(api, data, "never")):
        assert response.status_code == status, f"{label}: {response.text}"
        error = response.json()["error"]
        assert set(error) == {"code", "message", "details"}, label
        assert error["code"] in codes, f"{label}: {error}"
        errors.append(error)
    assert snapshot(api, pid, url) == before, label
    assert project_names(api) == names, label
    return errors[0]


def test_bad_zips_leave_everything_unchanged(api: Api, database_url: str) -> None:
    pid = api.new_project("target")["id"]
    fill(api, pid, {"ok.txt": b"original", "other.txt": b"o"})
    for case, (data, status, codes) in BAD_ZIPS.items():
        _refused_leaving_all_unchanged(api, database_url, pid, data, status, codes, case)
    error = _refused_leaving_all_unchanged(
        api,
        database_url,
        pid,
        make_zip([("a.txt", b"a"), ("x/../../etc/cron", b"x")]),
        422,
        {"zip_slip"},
        "names the entry",
    )
    assert error["details"]["entry"] == "x/../../etc/cron"
    # More entries than a project may hold.
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w", zipfile.ZIP_STORED) as archive:
        for i in range(RULES.max_project_files + 1):
            archive.writestr(f"f{i}", b"")
    _refused_leaving_all_unchanged(
        api, database_url, pid, many.getvalue(), 413, {"zip_too_large"}, "too many entries"
    )
    assert project_names(api) == ["target"]


@pytest.mark.parametrize("method", ["deflate", "lzma"])
def test_corrupt_compressed_entry_is_a_bad_zip(api: Api, database_url: str, method: str) -> None:
    """A well-formed zip whose entry's compressed stream is garbage: 422 bad_zip, not a 500."""
    pid = api.new_project("target")["id"]
    fill(api, pid, {"ok.txt": b"original"})
    data = _corrupt_stream(zipfile.ZIP_DEFLATED if method == "deflate" else zipfile.ZIP_LZMA)
    _refused_leaving_all_unchanged(api, database_url, pid, data, 422, {"bad_zip"}, method)


def test_zip_whose_files_clash_with_folders_is_refused_whole(api: Api, database_url: str) -> None:
    response = import_new(api, make_zip([("a", b"file"), ("a/b.txt", b"inside")]))
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"] in {"file_in_the_way", "folder_in_the_way"}
    assert project_names(api) == []
    pid = api.new_project("target")["id"]
    fill(api, pid, {"src/a.js": b"a", "keep.txt": b"k"})
    before = snapshot(api, pid, database_url)
    response = import_into(api, pid, make_zip([("keep.txt", b"new"), ("src", b"a file")]))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "folder_in_the_way"
    assert snapshot(api, pid, database_url) == before
