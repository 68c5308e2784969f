"""The patch op: a change sent as edits to the base text, so a one-line change in a large
file costs a few hundred bytes on the wire."""

from __future__ import annotations

import json

from tests.support.api import Api


def make(api: Api, text: str) -> tuple[str, int]:
    project = api.new_project("patch")
    response = api.sync(project["id"], [{"op": "put", "path": "src/app.py", "content": text}])
    return project["id"], response.json()["results"][0]["version"]


def test_patch_applies_edits_to_the_base_text(api: Api) -> None:
    base = "line one\nline twö\nline three\n"
    pid, version = make(api, base)
    edits = [
        {"start": 5, "end": 8, "text": "ONE"},
        {"start": 14, "end": 17, "text": "2"},
        {"start": len(base), "end": len(base), "text": "line four\n"},
    ]
    response = api.sync(
        pid, [{"op": "patch", "path": "src/app.py", "base_version": version, "edits": edits}]
    )
    assert response.status_code == 200, response.text
    result = response.json()["results"][0]
    assert result["status"] == "ok" and result["version"] > version
    stored = api.files(pid)["src/app.py"]
    assert stored["content"] == "line ONE\nline 2\nline three\nline four\n"
    assert stored["sha256"] == result["sha256"]


def test_a_one_line_change_is_small_on_the_wire(api: Api) -> None:
    text = "".join(f"print('line {i}')\n" for i in range(400))  # ~7 KB
    pid, version = make(api, text)
    start = text.index("line 200")
    body = {
        "ops": [
            {
                "op": "patch",
                "path": "src/app.py",
                "base_version": version,
                "edits": [{"start": start, "end": start + 8, "text": "LINE 200"}],
            }
        ]
    }
    raw = json.dumps(body).encode()
    assert len(raw) < 300
    response = api.post(
        f"/api/projects/{pid}/sync", content=raw, headers={"content-type": "application/json"}
    )
    assert response.json()["results"][0]["status"] == "ok"
    assert api.files(pid)["src/app.py"]["content"] == text.replace("line 200", "LINE 200")


def test_stale_patch_is_a_conflict_and_changes_nothing(api: Api) -> None:
    pid, version = make(api, "abc\n")
    api.sync(
        pid, [{"op": "put", "path": "src/app.py", "base_version": version, "content": "theirs\n"}]
    )
    response = api.sync(
        pid,
        [
            {
                "op": "patch",
                "path": "src/app.py",
                "base_version": version,
                "edits": [{"start": 0, "end": 1, "text": "X"}],
            }
        ],
    )
    result = response.json()["results"][0]
    assert result["status"] == "conflict" and result["current_version"] > version
    assert api.files(pid)["src/app.py"]["content"] == "theirs\n"


def test_bad_patches_refuse_the_whole_batch(api: Api) -> None:
    pid, version = make(api, "abc\n")
    cases = [
        ([{"start": 2, "end": 1, "text": ""}], "bad_patch"),  # start after end
        ([{"start": 0, "end": 2, "text": ""}, {"start": 1, "end": 3, "text": ""}], "bad_patch"),
        ([{"start": 0, "end": 99, "text": ""}], "bad_patch"),  # past the end
        ([{"start": 0, "end": 0, "text": "\u0000"}], "invalid_utf8"),
        ([], "invalid"),
        ([{"start": "0", "end": 1, "text": ""}], "invalid"),
    ]
    for edits, code in cases:
        response = api.sync(
            pid,
            [
                {"op": "put", "path": "other.txt", "content": "would be written"},
                {"op": "patch", "path": "src/app.py", "base_version": version, "edits": edits},
            ],
        )
        assert response.status_code in (413, 422), (edits, response.text)
        assert response.json()["error"]["code"] == code, (edits, response.text)
        assert set(api.files(pid)) == {"src/app.py"}  # nothing half-written


def test_patching_a_binary_file_is_refused(api: Api) -> None:
    project = api.new_project("bin")
    response = api.post(
        f"/api/projects/{project['id']}/sync",
        data={"ops": json.dumps({"ops": [{"op": "put", "path": "x.bin", "content_ref": "p"}]})},
        files={"p": ("p", b"\x00\x01\x02", "application/octet-stream")},
    )
    version = response.json()["results"][0]["version"]
    response = api.sync(
        project["id"],
        [
            {
                "op": "patch",
                "path": "x.bin",
                "base_version": version,
                "edits": [{"start": 0, "end": 0, "text": "a"}],
            }
        ],
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "not_text"
