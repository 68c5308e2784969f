"""client/core/project_folder.py: the worker's file operations stay inside the project
folder whatever path they are given, and the IDE's own changes (mount, write, remove,
rename, whole folders too) are never reported back as if a program had made them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from client.core.project_folder import ProjectFolder
from contract import rules as rules_module


@pytest.fixture
def folder(tmp_path: Path) -> ProjectFolder:
    return ProjectFolder(str(tmp_path / "project"), rules_module.load())


def tree(folder: ProjectFolder) -> dict[str, bytes]:
    root = Path(folder.root)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    ("given", "lands"),
    [
        ("../outside.txt", "outside.txt"),
        ("../../../etc/passwd", "etc/passwd"),
        ("/abs/x.txt", "abs/x.txt"),
        ("a/../../b.txt", "b.txt"),
        ("./c/./d.txt", "c/d.txt"),
        ("dir//e.txt", "dir/e.txt"),
    ],
)
def test_no_path_leaves_the_project_folder(
    folder: ProjectFolder, tmp_path: Path, given: str, lands: str
) -> None:
    folder.write_file(given, b"x")
    assert tree(folder) == {lands: b"x"}
    assert folder.read_file(given) == b"x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_the_ides_own_changes_are_not_echoed(folder: ProjectFolder) -> None:
    folder.mount({"src/a.py": b"a", "src/lib/b.py": b"b", "README.md": b"r"})
    folder.write_file("src/a.py", b"a2")
    folder.rename("src", "app")  # a whole folder moves
    folder.mkdir("empty")
    folder.rm("README.md")
    assert folder.changes() == []
    assert tree(folder) == {"app/a.py": b"a2", "app/lib/b.py": b"b"}


def test_what_programs_do_is_reported_with_contents(folder: ProjectFolder) -> None:
    folder.mount({"keep.txt": b"k", "gone.txt": b"g", "edit.txt": b"1"})
    root = Path(folder.root)
    (root / "new.txt").write_bytes(b"\x00\xff")
    (root / "gone.txt").unlink()
    (root / "edit.txt").write_bytes(b"22")  # another size: a change whatever the clock
    (root / "node_modules").mkdir()
    (root / "node_modules" / "x.js").write_text("ignored by the sync rules")
    assert sorted(folder.changes()) == [
        ["change", "edit.txt", b"22"],
        ["create", "new.txt", b"\x00\xff"],
        ["delete", "gone.txt", None],
    ]
    assert folder.changes() == []  # the snapshot moved on


def test_a_removed_folder_forgets_every_file_it_held(folder: ProjectFolder) -> None:
    folder.mount({"d/a": b"a", "d/e/b": b"b", "d2/c": b"c"})
    folder.rm("d", recursive=True)
    assert folder.changes() == [] and tree(folder) == {"d2/c": b"c"}
    assert sorted(folder.snapshot) == ["d2/c"]
    Path(folder.root, "d").mkdir()
    Path(folder.root, "d", "a").write_bytes(b"again")  # a program makes it anew
    assert folder.changes() == [["create", "d/a", b"again"]]


def test_removal_says_what_ls_would(folder: ProjectFolder) -> None:
    folder.mount({"d/a": b"a"})
    with pytest.raises(FileNotFoundError) as caught:
        folder.rm("nope")
    assert (caught.value.strerror, caught.value.filename) == ("No such file or directory", "nope")
    folder.rm("nope", force=True)
    with pytest.raises(OSError):  # a folder with files, without recursive
        folder.rm("d")
    folder.mkdir("e")
    folder.rm("e")  # an empty one goes without recursive
    with pytest.raises(FileNotFoundError):
        folder.mkdir("x/y")
    folder.mkdir("x/y", recursive=True)
    assert folder.readdir() == [["d", True], ["x", True]]
    assert folder.readdir("d") == [["a", False]]


def test_a_link_is_removed_not_followed(folder: ProjectFolder, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    os.symlink(outside, Path(folder.root, "link"))
    folder.rm("link", recursive=True)
    assert (outside / "precious.txt").read_text() == "keep"
    assert not Path(folder.root, "link").exists()


def test_a_rename_makes_the_target_folders(folder: ProjectFolder) -> None:
    folder.write_file("a.txt", b"a")
    folder.rename("a.txt", "deep/er/b.txt")
    assert tree(folder) == {"deep/er/b.txt": b"a"} and folder.changes() == []


class JsBuffer:
    """A JS Uint8Array's proxy: its bytes come from to_bytes()."""

    def to_bytes(self) -> bytes:
        return b"from js"


def test_contents_come_as_bytes_memoryviews_or_js_buffers(folder: ProjectFolder) -> None:
    folder.mount({"a": memoryview(b"view"), "b": bytearray(b"array")})  # type: ignore[dict-item]
    folder.write_file("c", JsBuffer())  # type: ignore[arg-type]
    assert tree(folder) == {"a": b"view", "b": b"array", "c": b"from js"}


def test_a_file_that_cannot_be_read_yet_is_reported_at_a_later_look(
    folder: ProjectFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the snapshot and the read a file may be unreadable (gone, or its mode
    changed): nothing is said about it then, and it is not forgotten either."""
    folder.mount({"old.txt": b"1"})
    Path(folder.root, "new.txt").write_text("new")
    Path(folder.root, "old.txt").write_text("22")
    real_open = open

    def refusing(path: str, *args: object, **kwargs: object) -> object:
        if str(path).endswith(".txt"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    with monkeypatch.context() as patched:
        patched.setattr("builtins.open", refusing)
        assert folder.changes() == []
        assert folder.changes() == []
    assert sorted(folder.changes()) == [["change", "old.txt", b"22"], ["create", "new.txt", b"new"]]
    assert folder.changes() == []
