"""What the zip export, import and upload tests share: zips made and read, projects filled
and imported, and a snapshot of what a refused import must leave as it was."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from typing import Any

from tests.support.api import Api
from tests.support.databases import scalar

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\0\0\xff"


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


def fill(api: Api, pid: str, files: dict[str, bytes]) -> None:
    ops, parts = [], {}
    for i, (path, data) in enumerate(files.items()):
        ops.append({"op": "put", "path": path, "base_version": None, "content_ref": f"p{i}"})
        parts[f"p{i}"] = data
    response = api.sync_parts(pid, {"ops": json.dumps({"ops": ops})}, parts)
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
