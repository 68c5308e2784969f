"""The WebContainer engine's pure half (client/core/container_fs.py): the FileSystemTree it
mounts, Node's error codes said as `ls` says them, and Node's watch events (rename/change,
a name) turned into the Runtime's create/change/delete without echoing our own writes."""

from __future__ import annotations

from client.core.container_fs import ContainerFiles, clean_name, errno_of, refusal, tree_of


def kinds(changes: list) -> list[tuple[str, str]]:
    return [(c.event.kind, c.event.path) for c in changes]


def test_the_project_becomes_a_file_system_tree() -> None:
    tree = tree_of({"src/App.jsx": b"app", "src/lib/x.js": b"x", "logo.png": b"\x89PNG\x00"})
    assert tree == {
        "logo.png": {"file": {"contents": b"\x89PNG\x00"}},
        "src": {
            "directory": {
                "App.jsx": {"file": {"contents": b"app"}},
                "lib": {"directory": {"x.js": {"file": {"contents": b"x"}}}},
            }
        },
    }
    assert tree_of({}) == {}


def test_node_errors_read_as_ls_says_them() -> None:
    assert errno_of("ENOENT: no such file or directory, open '/home/project/x'") == "ENOENT"
    assert (
        errno_of("ERR_FS_EISDIR: Path is a directory: rm returned EISDIR (is a directory)")
        == "EISDIR"
    )
    assert errno_of("something else broke") is None
    assert (
        refusal("ENOENT: no such file or directory, rm 'x'", "x") == "x: No such file or directory"
    )
    assert refusal("ENOTEMPTY: directory not empty", "d") == "d: Directory not empty"
    assert refusal("the runtime is not ready", "a") == "the runtime is not ready"


def test_watch_names_become_project_paths() -> None:
    assert clean_name("src/a.js") == "src/a.js"
    assert clean_name("./src/a.js") == "src/a.js"
    assert clean_name("/home/project/src/a.js", "/home/project") == "src/a.js"
    assert clean_name("/home/projects/a.js", "/home/project") == "home/projects/a.js"
    assert clean_name(".", "/home/project") == ""  # the workdir itself: not a file


def test_created_changed_unchanged_and_our_own_writes() -> None:
    files = ContainerFiles()
    files.mounted({"a.txt": b"a"})
    assert files.present("a.txt", b"a") is None  # what the mount put there
    made = files.present("new.txt", b"made\n")
    assert made is not None and kinds([made]) == [("create", "new.txt")]
    assert made.content == b"made\n"
    changed = files.present("new.txt", b"made\nmore\n")
    assert changed is not None and kinds([changed]) == [("change", "new.txt")]
    files.wrote("ours.txt", b"from the editor")
    assert files.present("ours.txt", b"from the editor") is None  # the echo of our write
    assert kinds([files.present("ours.txt", b"then a program")]) == [("change", "ours.txt")]


def test_a_vanished_folder_deletes_each_file_it_held_once() -> None:
    files = ContainerFiles()
    files.mounted({"out/a.txt": b"a", "out/deep/b.txt": b"b", "outside.txt": b"o"})
    assert kinds(files.gone("out")) == [("delete", "out/a.txt"), ("delete", "out/deep/b.txt")]
    assert files.gone("out/a.txt") == []  # the file's own event, after its folder's
    assert files.gone("never-known") == []
    assert sorted(files.known) == ["outside.txt"]


def test_our_removes_and_renames_move_what_is_known() -> None:
    files = ContainerFiles()
    files.mounted({"src/a.js": b"a", "src/b/c.js": b"c", "srcx.js": b"x"})
    files.renamed("src", "lib")
    assert sorted(files.known) == ["lib/a.js", "lib/b/c.js", "srcx.js"]
    assert files.present("lib/b/c.js", b"c") is None
    files.removed("lib/b")
    assert sorted(files.known) == ["lib/a.js", "srcx.js"]
