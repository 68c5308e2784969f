"""Paths the sync endpoint refuses (escapes, controls, ignored names, case and folder
clashes) and the unusual ones it takes: every refusal is a clear 4xx in the one error
shape, and the project is left exactly as it was."""

from __future__ import annotations

import json
from typing import Any

from server.sync_rules import RULES

from .conftest import Project, delete, put, rename

BAD_PATHS = {
    "dotdot": "../x.txt",
    "dotdot_inside": "a/../b.txt",
    "dotdot_last": "a/..",
    "leading_slash": "/etc/passwd",
    "backslash": "a\\b.txt",
    "backslash_dotdot": "..\\evil",
    "nul": "a\x00b.txt",
    "control_01": "a\x01b.txt",
    "control_del": "a\x7fb.txt",
    "newline": "a\nb.txt",
    "tab": "a\tb.txt",
    "long_segment": "x" * (RULES.max_segment_bytes + 1),
    "long_segment_multibyte": "é" * (RULES.max_segment_bytes // 2 + 1),
    "long_path": "/".join(["d" * 100] * 11),
    "empty_segment": "a//b.txt",
    "trailing_slash": "a/",
    "dot_segment": "a/./b.txt",
    "dot_alone": ".",
    "empty": "",
    "lone_surrogate": "a\ud800.txt",
    "not_a_string": 42,
    "null": None,
    "list": ["a.txt"],
}


def test_bad_paths(project: Project) -> None:
    for case, path in BAD_PATHS.items():
        ops = [put("fine.txt"), put(path)]
        body = json.dumps({"ops": ops}).encode()  # \ud800 goes as an escape, as browsers send it
        project.refused(project.raw(body), 422, "invalid_path", case, op=1, field="path")
    for case in ["dotdot", "leading_slash", "backslash", "nul", "empty_segment", "long_path"]:
        bad = BAD_PATHS[case]
        refused_alone(project, delete(bad, 1), "invalid_path", case)
        refused_alone(project, rename("keep.txt", bad, 1), "invalid_path", case, field="to")
        refused_alone(project, rename(bad, "b.txt", 1), "invalid_path", case)


def refused_alone(
    project: Project, op: dict[str, Any], code: str, label: object = "", field: str = "path"
) -> None:
    """A batch of the one operation `op` is refused (422, `code`) for its `field`."""
    project.refused(project.sync([op]), 422, code, label, op=0, field=field)


def test_longest_acceptable_names_are_accepted(project: Project) -> None:
    path = "/".join(["s" * 200] * 4)
    path = path + "/" + "f" * (RULES.max_path_bytes - len(path) - 1)
    assert len(path.encode()) == RULES.max_path_bytes
    response = project.sync([put("t" * RULES.max_segment_bytes), put(path)])
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["ok", "ok"]


# contract/sync_rules.json: folder names match any folder segment, file patterns the name,
# both case-insensitively.
IGNORED = [
    "node_modules/x",
    ".git/config",
    "dist/a",
    "build/b",
    ".env",
    ".env.local",
    "sub/node_modules/y",
    "a/.git/HEAD",
    "deep/dist/x/y.js",
    "config/.env.production",
    ".envrc",
    "Node_Modules/x",
    "BUILD/out.o",
    ".ENV",
    "app/.Env.Local",
]


def test_ignored_paths_are_refused(project: Project) -> None:
    for path in IGNORED:
        project.refused(
            project.sync([put("fine.txt"), put(path)]),
            422,
            "ignored_path",
            path,
            op=1,
            field="path",
        )
        refused_alone(project, delete(path, 1), "ignored_path", path)
    refused_alone(project, rename("keep.txt", "dist/keep.txt", 1), "ignored_path", field="to")


def test_names_that_only_look_ignored_are_fine(project: Project) -> None:
    response = project.sync(
        [
            put("distribution/a.txt"),
            put("my_build/b.txt"),
            put("src/node_modules_notes.md"),
            put("env.txt"),
            put("docs/.gitignore"),
            put("scripts/build"),
            put("dist.js"),
            put("x.env"),
            put(".environment"),
        ]
    )
    assert response.status_code == 200, response.text
    assert {r["status"] for r in response.json()["results"]} == {"ok"}


def test_case_conflicts(project: Project) -> None:
    error = project.refused(
        project.sync([put("fine.txt"), put("readme.md")]), 409, "case_conflict", op=1
    )
    assert error["details"]["existing"] == "README.md"
    project.refused(project.sync([put("KEEP.TXT", "x", 1)]), 409, "case_conflict", op=0)
    project.refused(project.sync([put("Src/A.js", "x", 1)]), 409, "case_conflict", op=0)
    project.refused(project.sync([put("new.txt"), put("NEW.txt")]), 409, "case_conflict", op=1)


def test_files_and_folders_in_each_others_way(project: Project) -> None:
    error = project.refused(
        project.sync([put("fine.txt"), put("src")]), 409, "folder_in_the_way", op=1
    )
    assert error["details"]["path"] == "src"
    project.refused(project.sync([put("SRC")]), 409, "folder_in_the_way", op=0)
    project.refused(
        project.sync([{"op": "rename", "path": "keep.txt", "to": "src", "base_version": 1}]),
        409,
        "folder_in_the_way",
        op=0,
    )
    error = project.refused(
        project.sync([put("fine.txt"), put("keep.txt/inner.js")]), 409, "file_in_the_way", op=1
    )
    assert error["details"]["existing"] == "keep.txt"
    project.refused(project.sync([put("src/a.js/deeper/x.js")]), 409, "file_in_the_way", op=0)
    project.refused(
        project.sync(
            [{"op": "rename", "path": "README.md", "to": "keep.txt/README.md", "base_version": 1}]
        ),
        409,
        "file_in_the_way",
        op=0,
    )
    project.refused(project.sync([put("new/a.txt"), put("new")]), 409, "folder_in_the_way", op=1)
    project.refused(project.sync([put("other"), put("other/a.txt")]), 409, "file_in_the_way", op=1)
