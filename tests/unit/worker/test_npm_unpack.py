"""Unpacking npm tarballs (client/worker/npm_unpack.py): npm's layout (one leading folder
dropped, executable bits kept, `.bin` links relative), and hostile archives kept inside
the package folder: `..` and absolute entries, links and devices are skipped; a corrupt
archive and one that unpacks past the limit are refused with one line."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from client.worker import npm_unpack
from client.worker.npm_unpack import UnpackError, bin_folder, link_bins, unlink_bins, unpack


def tgz(entries: list[tuple[str, bytes | None, int]], kind: bytes = tarfile.REGTYPE) -> bytes:
    """A gzipped tar of (name, content or None for a folder, mode)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content, mode in entries:
            info = tarfile.TarInfo(name)
            info.mode = mode
            if content is None:
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            else:
                info.type = kind
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def test_the_leading_folder_is_dropped_and_modes_kept(tmp_path: Path) -> None:
    data = tgz(
        [
            ("package/package.json", b'{"name":"a"}', 0o644),
            ("package/bin/cli.js", b"#!/usr/bin/env node\n", 0o755),
            ("package/lib/", None, 0o755),
            ("other-name/lib/x.js", b"x", 0o644),  # npm strips whatever the folder is called
        ]
    )
    target = tmp_path / "node_modules" / "a"
    written = unpack(data, str(target))
    assert (target / "package.json").read_bytes() == b'{"name":"a"}'
    assert (target / "lib" / "x.js").read_bytes() == b"x"
    assert os.access(target / "bin" / "cli.js", os.X_OK)
    assert not os.access(target / "package.json", os.X_OK)
    assert written == len(b'{"name":"a"}') + len(b"#!/usr/bin/env node\n") + 1


def test_an_older_copy_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "a"
    unpack(tgz([("package/old.js", b"old", 0o644)]), str(target))
    unpack(tgz([("package/new.js", b"new", 0o644)]), str(target))
    assert sorted(os.listdir(target)) == ["new.js"]


@pytest.mark.parametrize(
    "name",
    [
        "package/../../escape.txt",
        "/abs/escape.txt",
        "package/../x/../../escape.txt",
        "..",
        "package/..",
    ],
)
def test_entries_that_would_leave_the_package_are_skipped(tmp_path: Path, name: str) -> None:
    target = tmp_path / "deep" / "node_modules" / "a"
    unpack(tgz([(name, b"evil", 0o644), ("package/ok.js", b"ok", 0o644)]), str(target))
    assert (target / "ok.js").read_bytes() == b"ok"
    # Nothing lands outside the package; an absolute name is taken as relative to it.
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and target not in p.parents]
    assert outside == []
    assert not Path("/abs/escape.txt").exists()


def test_links_and_devices_are_never_installed(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for kind, name in ((tarfile.SYMTYPE, "package/link"), (tarfile.LNKTYPE, "package/hard")):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd"
            archive.addfile(info)
        info = tarfile.TarInfo("package/dev")
        info.type = tarfile.CHRTYPE
        archive.addfile(info)
        info = tarfile.TarInfo("package/index.js")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"ok"))
    target = tmp_path / "a"
    unpack(buffer.getvalue(), str(target))
    assert sorted(os.listdir(target)) == ["index.js"]


def test_corrupt_and_oversized_archives_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(UnpackError, match="not a tarball|corrupt"):
        unpack(b"this is not gzip", str(tmp_path / "a"))
    truncated = tgz([("package/big.js", os.urandom(50_000), 0o644)])[:-400]
    with pytest.raises(UnpackError, match="corrupt|not a tarball"):
        unpack(truncated, str(tmp_path / "b"))
    monkeypatch.setattr(npm_unpack, "UNPACKED_LIMIT", 1000)
    with pytest.raises(UnpackError, match="unpacks to more than"):
        unpack(tgz([("package/big.js", b"x" * 2000, 0o644)]), str(tmp_path / "c"))


def test_bins_are_relative_links_in_the_nearest_node_modules(tmp_path: Path) -> None:
    top = tmp_path / "node_modules" / "@scope" / "tool"
    unpack(tgz([("package/cli.js", b"#!/usr/bin/env node\n", 0o644)]), str(top))
    bins = {"tool": "./cli.js", "../evil": "cli.js", "escape": "../../../x", "gone": "nope.js"}
    assert link_bins(str(top), bins) == ["tool"]
    link = tmp_path / "node_modules" / ".bin" / "tool"
    assert os.readlink(link) == "../@scope/tool/cli.js"
    assert link.read_bytes() == b"#!/usr/bin/env node\n"
    assert os.access(top / "cli.js", os.X_OK)
    assert sorted(os.listdir(tmp_path / "node_modules" / ".bin")) == ["tool"]
    nested = tmp_path / "node_modules" / "a" / "node_modules" / "b"
    assert bin_folder(str(nested)) == str(tmp_path / "node_modules" / "a" / "node_modules" / ".bin")
    unlink_bins(str(top), bins)
    assert os.listdir(tmp_path / "node_modules" / ".bin") == []
