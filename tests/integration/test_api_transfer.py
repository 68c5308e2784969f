"""Zip export and import, and folder upload.

Export holds exactly the project's files, byte-exact. Import is checked whole before one
byte is stored: zip slip, symlinks, bombs, case clashes and broken zips are refused with the
project (or the set of projects) unchanged.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import warnings
import zipfile
import zlib
from typing import Any

import psycopg
import pytest

from server.sync_rules import RULES
from tests.support.api import Api

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\0\0\xff"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scalar(url: str, sql: str) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


def make_zip(
    entries: list[tuple[str, bytes]], *, symlinks: tuple[str, ...] = (), dirs: tuple[str, ...] = ()
) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some tests
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in dirs:
                archive.writestr(zipfile.ZipInfo(name), b"")
            for name, data in entries:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                if name in symlinks:
                    info.create_system = 3
                    info.external_attr = 0o120777 << 16
                else:
                    info.external_attr = 0o644 << 16
                archive.writestr(info, data)
    return buffer.getvalue()


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def contents(api: Api, pid: str) -> dict[str, bytes]:
    out = {}
    for path, item in api.files(pid).items():
        if item["binary"]:
            data = api.get(f"/api/projects/{pid}/blobs/{item['sha256']}").content
        else:
            data = item["content"].encode()
        assert sha(data) == item["sha256"], path
        out[path] = data
    return out


def fill(api: Api, pid: str, files: dict[str, bytes]) -> None:
    ops, parts = [], {}
    for i, (path, data) in enumerate(files.items()):
        ops.append({"op": "put", "path": path, "base_version": None, "content_ref": f"p{i}"})
        parts[f"p{i}"] = (f"p{i}", data, "application/octet-stream")
    response = api.post(
        f"/api/projects/{pid}/sync", data={"ops": json.dumps({"ops": ops})}, files=parts
    )
    assert response.status_code == 200, response.text
    assert {r["status"] for r in response.json()["results"]} == {"ok"}


def import_new(api: Api, data: bytes, name: str = "imported") -> Any:
    return api.post(
        "/api/projects/import",
        params={"name": name},
        content=data,
        headers={"content-type": "application/zip"},
    )


def import_into(api: Api, pid: str, data: bytes) -> Any:
    return api.post(
        f"/api/projects/{pid}/import", content=data, headers={"content-type": "application/zip"}
    )


def snapshot(api: Api, pid: str, url: str) -> dict[str, Any]:
    info = api.get(f"/api/projects/{pid}").json()
    return {
        "project": (info["version"], info["file_count"], info["total_bytes"]),
        "files": {p: (f["version"], f["sha256"]) for p, f in api.files(pid).items()},
        "blobs": scalar(url, "SELECT count(*) FROM blobs"),
    }


def project_names(api: Api) -> list[str]:
    return sorted(p["name"] for p in api.get("/api/projects").json()["projects"])


SAMPLE = {
    "README.md": "# Sample ✓\n".encode(),
    "src/main.py": b"print('hi')\n",
    "src/deep/er/x.json": b'{"a": 1}\n',
    "assets/logo.png": PNG,
    "empty.txt": b"",
    "data/blob.bin": bytes(range(256)) * 4,
}


# --- export ----------------------------------------------------------------------------------


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
    assert contents(api, copy["id"]) == SAMPLE
    binary = {p for p, f in api.files(copy["id"]).items() if f["binary"]}
    assert binary == {"assets/logo.png", "data/blob.bin"}


# --- import --------------------------------------------------------------------------------------


def test_import_into_a_new_project(api: Api) -> None:
    response = import_new(api, make_zip(list(SAMPLE.items()), dirs=("src/", "assets/")), "new one")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["skipped"] == []
    project = body["project"]
    assert project["name"] == "new one"
    assert project["file_count"] == len(SAMPLE)
    assert project["total_bytes"] == sum(len(d) for d in SAMPLE.values())
    assert project["version"] == 1
    assert contents(api, project["id"]) == SAMPLE
    assert {f["version"] for f in api.files(project["id"]).values()} == {1}
    # The name is required.
    data = make_zip([("a.txt", b"a")])
    for params in [{}, {"name": ""}, {"name": "   "}, {"name": "n" * 101}]:
        response = api.post(
            "/api/projects/import",
            params=params,
            content=data,
            headers={"content-type": "application/zip"},
        )
        assert response.status_code == 422, params
        assert response.json()["error"]["details"]["field"] == "name"
    assert project_names(api) == ["new one"]


def test_import_name_is_checked_like_any_project_name(api: Api) -> None:
    """POST /api/projects refuses control characters in a name (422, field name); the
    import's ?name= must too, and a NUL must not reach PostgreSQL (a 500)."""
    assert api.post("/api/projects", json={"name": "a\x07b"}).status_code == 422
    data = make_zip([("a.txt", b"a")])
    for name in ["bell\x07", "esc\x1b[31m", "a\x00b"]:
        response = api.post(
            "/api/projects/import",
            params={"name": name},
            content=data,
            headers={"content-type": "application/zip"},
        )
        assert response.status_code == 422, f"{name!r}: {response.status_code} {response.text}"
        assert response.json()["error"]["details"]["field"] == "name"
    assert project_names(api) == []


def test_import_into_an_existing_project_replaces_and_keeps(api: Api) -> None:
    pid = api.new_project("target")["id"]
    fill(api, pid, {"keep.txt": b"keep", "replace.txt": b"old", "src/keep.py": b"k"})
    response = import_into(api, pid, make_zip([("replace.txt", b"new"), ("added/a.bin", PNG)]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["written"] == 2 and body["skipped"] == [] and body["version"] == 2
    assert contents(api, pid) == {
        "keep.txt": b"keep",
        "replace.txt": b"new",
        "src/keep.py": b"k",
        "added/a.bin": PNG,
    }
    files = api.files(pid)
    assert files["keep.txt"]["version"] == files["src/keep.py"]["version"] == 1
    assert files["replace.txt"]["version"] == files["added/a.bin"]["version"] == 2
    info = api.get(f"/api/projects/{pid}").json()
    assert info["file_count"] == 4 and info["total_bytes"] == 4 + 3 + 1 + len(PNG)


def test_a_single_top_folder_is_stripped(api: Api) -> None:
    data = make_zip(
        [
            ("repo-main/README.md", b"# r"),
            ("repo-main/src/a.py", b"a"),
            ("repo-main/.gitignore", b"dist/\n"),
        ],
        dirs=("repo-main/", "repo-main/src/"),
    )
    response = import_new(api, data)
    assert response.status_code == 201, response.text
    pid = response.json()["project"]["id"]
    assert contents(api, pid) == {"README.md": b"# r", "src/a.py": b"a", ".gitignore": b"dist/\n"}
    # Two top folders are kept.
    response = import_new(api, make_zip([("one/a.txt", b"1"), ("two/b.txt", b"2")]))
    pid = response.json()["project"]["id"]
    assert sorted(api.files(pid)) == ["one/a.txt", "two/b.txt"]


def test_ignored_entries_are_skipped_and_listed(api: Api) -> None:
    data = make_zip(
        [
            ("proj/src/app.js", b"app"),
            ("proj/node_modules/lib/index.js", b"lib"),
            ("proj/.git/HEAD", b"ref"),
            ("proj/.env", b"SECRET=1"),
            ("proj/.env.local", b"SECRET=2"),
            ("proj/dist/bundle.js", b"b"),
            ("proj/pkg/build/out.o", b"\0"),
        ]
    )
    response = import_new(api, data)
    assert response.status_code == 201, response.text
    body = response.json()
    assert sorted(body["skipped"]) == sorted(
        [
            "node_modules/lib/index.js",
            ".git/HEAD",
            ".env",
            ".env.local",
            "dist/bundle.js",
            "pkg/build/out.o",
        ]
    )
    assert list(api.files(body["project"]["id"])) == ["src/app.js"]
    # The same for an import into an existing project.
    pid = api.new_project("into")["id"]
    response = import_into(api, pid, data)
    assert response.status_code == 200 and len(response.json()["skipped"]) == 6
    assert list(api.files(pid)) == ["src/app.js"]


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


# --- folder upload -----------------------------------------------------------------------------


def upload(api: Api, pid: str, files: list[tuple[str, bytes]]) -> Any:
    """A folder drop as a browser sends it: filenames written into the part headers as-is."""
    boundary = "----cospai-test-7d2f0c"
    body = b""
    for name, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        body += head.encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return api.post(
        f"/api/projects/{pid}/upload",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )


def test_folder_upload_stores_each_file_at_its_path(api: Api) -> None:
    pid = api.new_project("upload")["id"]
    fill(api, pid, {"existing.txt": b"old", "untouched.txt": b"u"})
    response = upload(
        api,
        pid,
        [
            ("src/app.js", b"app"),
            ("img/logo.png", PNG),
            ("existing.txt", b"new"),
            ("node_modules/x/i.js", b"x"),
            (".env", b"S=1"),
        ],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["written"] == 3
    assert sorted(body["skipped"]) == [".env", "node_modules/x/i.js"]
    assert contents(api, pid) == {
        "src/app.js": b"app",
        "img/logo.png": PNG,
        "existing.txt": b"new",
        "untouched.txt": b"u",
    }
    assert api.files(pid)["img/logo.png"]["binary"] is True


def test_folder_upload_with_one_bad_name_stores_nothing(api: Api, database_url: str) -> None:
    pid = api.new_project("upload")["id"]
    fill(api, pid, {"existing.txt": b"old", "README.md": b"r"})
    before = snapshot(api, pid, database_url)
    for bad in ["../evil.txt", "/abs.txt", "a//b.txt", "bad\x01.txt", "a/./b.txt", ""]:
        files = [("good/one.txt", b"1"), (bad, b"evil"), ("good/two.txt", b"2")]
        response = upload(api, pid, files)
        assert response.status_code == 422, f"{bad!r}: {response.text}"
        error = response.json()["error"]
        assert error["code"] == "invalid_path", bad
        assert error["details"]["file"] == bad
        assert snapshot(api, pid, database_url) == before, bad
    # A second spelling of an existing file.
    response = upload(api, pid, [("new.txt", b"n"), ("readme.md", b"other")])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "case_conflict"
    assert snapshot(api, pid, database_url) == before


def test_folder_upload_needs_the_csrf_token(api: Api) -> None:
    pid = api.new_project("upload")["id"]
    csrf, api.csrf = api.csrf, ""
    response = upload(api, pid, [("a.txt", b"a")])
    api.csrf = csrf
    assert response.status_code == 403
    assert api.files(pid) == {}
