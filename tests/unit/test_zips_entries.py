"""Zip entries server/zips.py meets less often: a compression method zipfile cannot read, a
size declared past the file limit (refused before inflating a byte), zips with no files,
and the export's zips, which read back as they were written and are the same bytes for the
same files. The hostile zips over HTTP are tests/integration/transfer/."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from server import zips
from server.errors import ApiError
from server.sync_rules import RULES


def stored(entries: list[tuple[str, bytes]], dirs: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in dirs:
            archive.writestr(zipfile.ZipInfo(name), b"")
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def patched(data: bytes, offset_in_central: int, fmt: str, value: int) -> bytes:
    """`data` with one field of its (first) central directory entry rewritten."""
    at = data.index(b"PK\x01\x02") + offset_in_central
    return data[:at] + struct.pack(fmt, value) + data[at + struct.calcsize(fmt) :]


def refusal(data: bytes) -> ApiError:
    with pytest.raises(ApiError) as caught:
        zips.read(data)
    return caught.value


def test_a_compression_method_zipfile_cannot_read_is_named() -> None:
    # Method 99 (AES in WinZip's scheme), in the central directory: zipfile cannot open it.
    data = patched(stored([("src/a.txt", b"hello")]), 10, "<H", 99)
    error = refusal(data)
    assert (error.status, error.code) == (422, "bad_zip")
    assert "uses a compression method that cannot be read here" in error.message
    assert "deflate" in error.message
    assert error.details == {"entry": "src/a.txt"}


def test_a_size_declared_past_the_file_limit_is_refused_before_inflating() -> None:
    # The central directory's uncompressed size (offset 24) says one byte over the limit.
    data = patched(stored([("big.bin", b"small really")]), 24, "<I", RULES.max_file_bytes + 1)
    error = refusal(data)
    assert (error.status, error.code) == (413, "zip_too_large")
    assert f"'big.bin' inflates past {RULES.max_file_bytes} bytes" in error.message
    assert error.details == {"entry": "big.bin"}


@pytest.mark.parametrize(
    "data",
    [stored([]), stored([], dirs=("src/", "src/empty/"))],
    ids=["no entries", "folders only"],
)
def test_a_zip_without_files_imports_nothing(data: bytes) -> None:
    assert zips.read(data) == ({}, [])


@pytest.mark.parametrize(
    "data", [b"", b"PK", b"PK\x05\x06" + b"\xff" * 18, b"not a zip at all" * 100]
)
def test_what_is_not_a_zip_is_said_so(data: bytes) -> None:
    error = refusal(data)
    assert (error.status, error.code) == (422, "bad_zip")
    assert error.message == "The upload is not a readable zip file."
    assert error.details == {}


FILES = [
    ("README.md", "# Hello ✓\n".encode()),
    ("src/empty.txt", b""),
    ("src/data.bin", bytes(range(256)) * 3),
    ("日本/ファイル.txt", b"jp"),
]


def test_an_export_reads_back_as_it_was_written() -> None:
    files, skipped = zips.read(zips.build(FILES))
    assert files == dict(FILES) and skipped == []


def test_an_export_is_the_same_bytes_for_the_same_files() -> None:
    first = zips.build(FILES)
    assert zips.build(list(reversed(FILES))) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(name for name, _ in FILES)
    for info in infos:
        assert info.date_time == zips.ZIP_EPOCH
        assert info.external_attr >> 16 == 0o644
        assert info.compress_type == zipfile.ZIP_DEFLATED
        # A name beyond ASCII is stored in UTF-8, and the entry says so (bit 11).
        assert bool(info.flag_bits & 0x800) == (not info.filename.isascii())


@pytest.mark.parametrize(
    ("size", "budget"),
    [
        (0, zips.FLOOR_BYTES),
        (zips.FLOOR_BYTES // zips.MAX_RATIO, zips.FLOOR_BYTES),
        (
            zips.FLOOR_BYTES // zips.MAX_RATIO + 1,
            (zips.FLOOR_BYTES // zips.MAX_RATIO + 1) * zips.MAX_RATIO,
        ),
        (RULES.max_project_bytes // zips.MAX_RATIO, RULES.max_project_bytes),
        (RULES.max_project_bytes, RULES.max_project_bytes),
    ],
)
def test_the_inflate_budget_between_its_floor_and_the_project_limit(size: int, budget: int) -> None:
    assert zips.inflate_budget(size) == budget
