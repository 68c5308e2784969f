"""client.core.file_ops: the tree's operations on the model, refused whole or done whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from client.core.file_ops import FileOps, top_level
from client.core.model import Base, ProjectModel, ServerFile, sha256_hex
from client.core.names import NameRefused
from contract.rules import SyncRules, is_text

PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"


def model_with(files: dict[str, bytes]) -> ProjectModel:
    model = ProjectModel()
    for path, content in files.items():
        server = ServerFile(path, 1, sha256_hex(content), not is_text(content), len(content))
        model.adopt(server, content)
    return model


@pytest.fixture
def ops(rules: SyncRules) -> FileOps:
    model = model_with(
        {
            "README.md": b"# hi",
            "src/app.py": b"print(1)\n",
            "src/util/strings.py": b"S = 1\n",
            "logo.png": PNG,
        }
    )
    return FileOps(model, rules, set())


def refused(match: str, action: Callable[..., object], *args: object) -> None:
    """`action(*args)` is refused with a message that matches `match`."""
    with pytest.raises(NameRefused, match=match):
        action(*args)


def contents(ops: FileOps) -> dict[str, bytes]:
    return {p: f.content for p, f in sorted(ops.model.files.items())}


def test_binary_is_decided_as_the_server_does() -> None:
    assert not is_text(PNG) and not is_text(b"\xff\xfe") and not is_text(b"a\0b")
    assert is_text(b"") and is_text("héllo ✓".encode())


def test_create_file_and_folder(ops: FileOps) -> None:
    assert ops.create_file("src", "new.py") == "src/new.py"
    assert ops.model.files["src/new.py"].content == b"" and not ops.model.files["src/new.py"].clean
    assert ops.create_folder("src", "empty") == "src/empty"
    assert ops.folders == {"src/empty"} and ops.is_folder("src/empty")
    assert ops.siblings("src") == ["app.py", "empty", "new.py", "util"]
    assert ops.create_file("src/empty", "first.txt") == "src/empty/first.txt"
    assert ops.folders == set()  # a file landed in it: the model knows it now


def test_create_refuses_duplicates_and_missing_folders(ops: FileOps) -> None:
    refused("“app.py” already exists in “src”", ops.create_file, "src", "APP.py")
    refused("already exists", ops.create_folder, "", "Src")
    refused("no longer exists", ops.create_file, "gone", "a.txt")
    assert "src/APP.py" not in ops.model.files


def test_rename_a_file_keeps_its_server_identity(ops: FileOps) -> None:
    assert ops.rename("src/app.py", "main.py") == ("src/app.py", "src/main.py")
    moved = ops.model.files["src/main.py"]
    assert moved.base == Base("src/app.py", 1, sha256_hex(b"print(1)\n"))  # a rename op


def test_rename_a_folder_moves_everything_under_it(ops: FileOps) -> None:
    ops.create_folder("src/util", "empty")
    assert ops.rename("src", "lib") == ("src", "lib")
    assert sorted(ops.model.files) == ["README.md", "lib/app.py", "lib/util/strings.py", "logo.png"]
    assert ops.folders == {"lib/util/empty"}


def test_rename_to_other_case_and_refusals(ops: FileOps) -> None:
    assert ops.rename("README.md", "readme.md") == ("README.md", "readme.md")
    refused("already exists", ops.rename, "src", "LOGO.png")
    refused("no longer exists", ops.rename, "nope", "x")
    refused("cannot contain “/”", ops.rename, "src", "a/b")


def test_rename_of_an_empty_local_folder(ops: FileOps) -> None:
    ops.create_folder("", "tmp")
    ops.create_folder("tmp", "inner")
    ops.rename("tmp", "scratch")
    assert ops.folders == {"scratch", "scratch/inner"}


def test_move_many_into_a_folder(ops: FileOps) -> None:
    ops.create_folder("", "dest")
    moves = ops.move(["README.md", "src/util", "src/util/strings.py"], "dest")
    assert moves == [("README.md", "dest/README.md"), ("src/util", "dest/util")]
    assert sorted(ops.model.files) == [
        "dest/README.md",
        "dest/util/strings.py",
        "logo.png",
        "src/app.py",
    ]
    assert ops.folders == set()


def test_move_is_refused_whole(ops: FileOps) -> None:
    ops.model.write("docs/README.md", b"other")
    before = contents(ops)
    refused("“README.md” already exists in “docs”", ops.move, ["logo.png", "README.md"], "docs")
    refused("Cannot move “src” into itself", ops.move, ["src"], "src/util")
    refused("both named “README.md”", ops.move, ["README.md", "docs/README.md"], "src")
    assert contents(ops) == before


def test_moving_to_where_it_already_is_does_nothing(ops: FileOps) -> None:
    assert ops.move(["src/app.py"], "src") == []
    assert ops.move(["README.md"], "") == []


def test_copy_paste_names_copies_like_vs_code(ops: FileOps) -> None:
    assert ops.copy(["README.md"], "") == ["README copy.md"]
    assert ops.copy(["README.md"], "") == ["README copy 2.md"]
    assert ops.copy(["README.md"], "src") == ["src/README.md"]
    assert ops.copy(["src"], "") == ["src copy"]
    assert ops.model.files["src copy/util/strings.py"].content == b"S = 1\n"
    copied = ops.model.files["src copy/app.py"]
    assert copied.base is None  # a new file, not a rename of the original
    assert ops.model.files["logo.png"].binary and ops.copy(["logo.png"], "src") == ["src/logo.png"]
    assert ops.model.files["src/logo.png"].binary


def test_copy_refuses_a_folder_into_itself(ops: FileOps) -> None:
    refused("Cannot paste “src” into itself", ops.copy, ["src"], "src/util")


def test_copy_of_an_empty_folder(ops: FileOps) -> None:
    ops.create_folder("", "empty")
    assert ops.copy(["empty"], "") == ["empty copy"]
    assert ops.folders == {"empty", "empty copy"}


def test_delete_and_undo_restore_contents_and_identity(ops: FileOps) -> None:
    ops.create_folder("src", "empty")
    before = contents(ops)
    removed = ops.delete(["src", "src/app.py", "logo.png"])
    assert removed.paths == ("logo.png", "src") and len(removed) == 2
    assert sorted(ops.model.files) == ["README.md"] and ops.folders == set()
    assert set(ops.model.tombstones) == {"logo.png", "src/app.py", "src/util/strings.py"}
    assert ops.restore(removed) == []
    assert contents(ops) == before and ops.folders == {"src/empty"}
    assert ops.model.tombstones == {}
    assert ops.model.files["src/app.py"].clean  # back as it was: nothing to send
    assert ops.model.files["logo.png"].binary


def test_undo_does_not_overwrite_what_came_since(ops: FileOps) -> None:
    removed = ops.delete(["README.md"])
    ops.model.write("README.md", b"new one")
    assert ops.restore(removed) == ["README.md"]
    assert ops.model.files["README.md"].content == b"new one"


def test_delete_of_an_empty_local_folder_and_undo(ops: FileOps) -> None:
    ops.create_folder("", "empty")
    removed = ops.delete(["empty"])
    assert ops.folders == set() and removed.folders == {"empty"}
    ops.restore(removed)
    assert ops.folders == {"empty"}


def test_upload_plan_refuses_big_files_by_name_and_keeps_the_rest(ops: FileOps) -> None:
    limit = ops.rules.max_file_bytes
    plan = ops.plan_upload(
        [
            ("a.txt", 5),
            ("big.bin", limit + 1),
            ("site/index.html", 10),
            ("README.md", 3),
            ("readme.MD", 3),
            ("bad\x01.txt", 1),
        ],
        "src",
    )
    assert plan.accepted == [
        ("a.txt", "src/a.txt"),
        ("site/index.html", "src/site/index.html"),
        ("README.md", "src/README.md"),
    ]
    refused = dict(plan.refused)
    assert refused["big.bin"] == "It is 10.0 MB; a file may hold at most 10.0 MB."
    assert "differs only by case" in refused["readme.MD"]
    assert "control characters" in refused["bad\x01.txt"]
    assert plan.replaced == 0
    plan = ops.plan_upload([("README.md", 3)], "")
    assert plan.accepted == [("README.md", "README.md")] and plan.replaced == 1


def test_upload_plan_refuses_file_folder_clashes(ops: FileOps) -> None:
    plan = ops.plan_upload([("README.md/x.txt", 1), ("src", 1), ("util", 2)], "src")
    assert dict(plan.refused) == {"util": "“src/util” is a folder."}
    plan = ops.plan_upload([("README.md/x.txt", 1), ("src", 1)], "")
    assert dict(plan.refused) == {
        "README.md/x.txt": "“README.md” is a file, not a folder.",
        "src": "“src” is a folder.",
    }


def test_upload_writes_with_binary_detection(ops: FileOps) -> None:
    ops.create_folder("", "assets")
    ops.write_upload("assets/pic.png", PNG)
    ops.write_upload("assets/notes.txt", "ünïcode".encode())
    assert ops.model.files["assets/pic.png"].binary
    assert not ops.model.files["assets/notes.txt"].binary
    assert ops.folders == set()


def test_the_project_file_limit_is_kept(rules: SyncRules) -> None:
    small = replace(rules, max_project_files=3)
    ops = FileOps(model_with({"a": b"1", "b": b"2", "node_modules/x.js": b""}), small, set())
    ops.create_file("", "c")
    refused("at most 3 files", ops.create_file, "", "d")
    plan = ops.plan_upload([("a", 1), ("e", 1), ("node_modules/y.js", 1)], "")
    assert [p for _n, p in plan.accepted] == ["a", "node_modules/y.js"]  # ignored: no count
    assert "already holds 3 files" in dict(plan.refused)["e"]


def test_top_level_drops_what_a_chosen_folder_carries() -> None:
    assert top_level(["a/b", "a", "c/d.txt", "a/b/c", "ab"]) == ["a", "ab", "c/d.txt"]
