"""Planning a folder import, and the zip it is packed into."""

from __future__ import annotations

import io
import zipfile

from client.core.project_import import ZipWriter, name_for_zip, plan_folder
from contract.rules import SyncRules


def test_the_chosen_folder_names_the_project_and_is_stripped(rules: SyncRules) -> None:
    plan = plan_folder([("app/index.html", 10), ("app/src/main.py", 20)], rules)
    assert plan.name == "app"
    assert plan.files == [(0, "index.html"), (1, "src/main.py")]
    assert plan.total_bytes == 30 and plan.problems == [] and plan.skipped == []


def test_ignored_paths_are_skipped_below_the_chosen_folder(rules: SyncRules) -> None:
    # A chosen folder named "build" is the project, not a build output to ignore.
    picked = [
        ("build/main.js", 1),
        ("build/node_modules/x/i.js", 1),
        ("build/.env", 1),
        ("build/dist/out.js", 1),
        ("build/.git/HEAD", 1),
        ("build/src/.envrc", 1),
    ]
    plan = plan_folder(picked, rules)
    assert plan.name == "build"
    assert plan.files == [(0, "main.js")]
    assert plan.skipped == ["node_modules/x/i.js", ".env", "dist/out.js", ".git/HEAD", "src/.envrc"]


def test_what_the_server_would_refuse_is_said_first(rules: SyncRules) -> None:
    big = rules.max_file_bytes + 1
    plan = plan_folder(
        [
            ("p/ok.txt", 1),
            ("p/huge.bin", big),
            ("p/bad\\name", 1),
            ("p/Readme.md", 1),
            ("p/README.md", 1),
        ],
        rules,
    )
    assert plan.files == [(0, "ok.txt"), (3, "Readme.md")]
    assert plan.problems == [
        f"huge.bin is larger than {rules.max_file_bytes:,} bytes",
        "bad\\name: the path contains a backslash; use / between folders",
        "README.md and Readme.md differ only by case",
    ]


def test_an_empty_or_all_ignored_folder_is_refused(rules: SyncRules) -> None:
    assert plan_folder([], rules).problems == ["the folder has no files to import"]
    plan = plan_folder([("p/node_modules/a.js", 1)], rules)
    assert plan.problems == ["the folder has no files to import (only ignored ones)"]


def test_too_many_files_or_bytes(rules: SyncRules) -> None:
    many = [(f"p/f{i}", 1) for i in range(rules.max_project_files + 1)]
    assert plan_folder(many, rules).problems == [
        f"the folder has more than {rules.max_project_files:,} files"
    ]
    heavy = [(f"p/f{i}", rules.max_file_bytes) for i in range(21)]
    assert plan_folder(heavy, rules).problems == [
        f"the folder holds more than {rules.max_project_bytes:,} bytes"
    ]


def test_name_for_zip() -> None:
    assert name_for_zip("my-app.zip") == "my-app"
    assert name_for_zip("Archive.ZIP") == "Archive"
    assert name_for_zip("C:/fakepath/site.zip") == "site"
    assert name_for_zip(".zip") == "Imported project"
    assert len(name_for_zip("x" * 300 + ".zip")) == 100


def test_zip_writer_round_trips_bytes_exactly() -> None:
    files = {"a.txt": b"hello\n", "bin/blob": bytes(range(256)) * 10, "é/ü.md": b"# hi"}
    writer = ZipWriter()
    for path, data in files.items():
        writer.add(path, data)
    with zipfile.ZipFile(io.BytesIO(writer.finish())) as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == files
