"""client.core.model: local files, their server bases, tombstones and touched paths."""

from __future__ import annotations

from client.core.model import Base, LocalFile, ProjectModel, ServerFile, sha256_hex

BINARY = bytes(range(256))


def server_file(path: str, content: bytes, version: int = 1, binary: bool = False) -> ServerFile:
    return ServerFile(path, version, sha256_hex(content), binary, len(content), content)


def synced(files: dict[str, bytes], version: int = 1) -> ProjectModel:
    """A model in step with a server that holds `files` at `version`."""
    model = ProjectModel()
    for path, content in files.items():
        model.adopt(server_file(path, content, version), content)
    model.server_version = version
    model.take_touched()
    return model


def test_a_new_file_has_no_base_and_is_pending() -> None:
    model = ProjectModel()
    local = model.write("a.txt", b"hello")
    assert local.base is None and not local.clean
    assert local.sha256 == sha256_hex(b"hello") and local.text == "hello"
    assert model.get("a.txt") == local
    assert model.pending_count() == 1 and model.has_pending()


def test_an_adopted_file_is_clean_and_editing_it_makes_it_pending() -> None:
    model = synced({"a.txt": b"one"})
    assert model.files["a.txt"].clean and model.pending_count() == 0
    edited = model.write("a.txt", b"two")
    assert edited.base == Base("a.txt", 1, sha256_hex(b"one"))
    assert edited.sha256 == sha256_hex(b"two") and not edited.clean
    assert model.pending_count() == 1
    model.write("a.txt", b"one")  # typed back: in step again
    assert model.pending_count() == 0


def test_delete_of_a_server_file_leaves_a_tombstone() -> None:
    model = synced({"a.txt": b"one"})
    model.delete("a.txt")
    assert model.get("a.txt") is None
    assert model.tombstones == {"a.txt": Base("a.txt", 1, sha256_hex(b"one"))}
    assert model.pending_count() == 1


def test_delete_of_a_local_only_file_leaves_nothing() -> None:
    model = ProjectModel()
    model.write("new.txt", b"x")
    model.delete("new.txt")
    model.delete("never-there.txt")
    assert model.files == {} and model.tombstones == {} and model.pending_count() == 0


def test_delete_then_recreate_keeps_the_server_identity() -> None:
    model = synced({"a.txt": b"one"})
    model.delete("a.txt")
    again = model.write("a.txt", b"two")
    assert again.base == Base("a.txt", 1, sha256_hex(b"one"))  # one put with the old base
    assert model.tombstones == {}
    assert model.pending_count() == 1


def test_delete_then_recreate_with_the_same_content_is_clean() -> None:
    model = synced({"a.txt": b"one"})
    model.delete("a.txt")
    model.write("a.txt", b"one")
    assert model.pending_count() == 0


def test_rename_keeps_the_origin() -> None:
    model = synced({"a.txt": b"one"})
    moved = model.rename("a.txt", "b.txt")
    assert moved.path == "b.txt" and moved.base is not None and moved.base.path == "a.txt"
    assert model.get("a.txt") is None and not moved.clean
    assert model.tombstones == {} and model.pending_count() == 1


def test_rename_back_to_the_original_path_is_clean() -> None:
    model = synced({"a.txt": b"one"})
    model.rename("a.txt", "b.txt")
    model.rename("b.txt", "c.txt")
    back = model.rename("c.txt", "a.txt")
    assert back.clean and model.pending_count() == 0 and model.tombstones == {}


def test_rename_onto_an_existing_file_replaces_it_and_its_server_copy_goes() -> None:
    model = synced({"a.txt": b"one", "b.txt": b"two"})
    model.rename("a.txt", "b.txt")
    assert model.files["b.txt"].content == b"one"
    assert set(model.tombstones) == {"b.txt"}
    assert model.get("a.txt") is None


def test_binary_content_is_kept_as_bytes() -> None:
    model = ProjectModel()
    local = model.write("img.bin", BINARY, binary=True)
    assert local.content == BINARY and local.binary and local.sha256 == sha256_hex(BINARY)
    assert model.write("img.bin", BINARY[::-1], binary=True).binary


def test_folders_and_children() -> None:
    model = ProjectModel()
    for path in [
        "README.md",
        "src/app.py",
        "src/lib/util.py",
        "src/lib/b.py",
        "Docs/x.md",
        "a.txt",
        "src/Zeta.py",
    ]:
        model.write(path, b"")
    assert model.folders() == {"src", "src/lib", "Docs"}
    assert model.children("") == (["Docs", "src"], ["a.txt", "README.md"])
    assert model.children("src") == (["lib"], ["app.py", "Zeta.py"])
    assert model.children("src/lib") == ([], ["b.py", "util.py"])
    assert model.children("nowhere") == ([], [])
    assert model.children("sr") == ([], [])  # a prefix of a name is not a folder


def test_take_touched_reports_writes_and_removals_once() -> None:
    model = ProjectModel()
    model.write("a.txt", b"1")
    model.write("b.txt", b"2")
    changed, removed = model.take_touched()
    assert [f.path for f in changed] == ["a.txt", "b.txt"] and removed == []
    assert model.take_touched() == ([], [])
    model.rename("a.txt", "c.txt")
    model.write("b.txt", b"3")
    changed, removed = model.take_touched()
    assert [f.path for f in changed] == ["b.txt", "c.txt"] and removed == ["a.txt"]
    assert changed[0].content == b"3"


def test_a_model_built_from_a_plain_dict_tracks_every_file() -> None:
    local = LocalFile("x.txt", b"x", False)
    model = ProjectModel({"x.txt": local})
    assert model.take_touched() == ([local], [])


def test_adopt_clears_a_tombstone_and_rebase_sets_the_base() -> None:
    model = synced({"a.txt": b"one"})
    model.delete("a.txt")
    model.adopt(server_file("a.txt", b"new", 2), b"new")
    assert model.tombstones == {} and model.files["a.txt"].clean
    model.write("n.txt", b"n")
    model.rebase("n.txt", Base("n.txt", 3, sha256_hex(b"n")))
    model.rebase("missing.txt", None)  # nothing there: nothing happens
    assert model.pending_count() == 0 and "missing.txt" not in model.files
    model.forget_tombstone("nothing")


def test_local_file_computes_its_hash_once() -> None:
    local = LocalFile("a", b"abc", False, None, "given")
    assert local.sha256 == "given"
    assert LocalFile("a", b"abc", False).sha256 == sha256_hex(b"abc")


def test_the_dirty_set_follows_every_change_one_at_a_time() -> None:
    """TrackedFiles keeps the files out of step with the server as they change (the status
    reads it on every keystroke): after any sequence of changes it equals a full walk."""
    import random

    import pytest

    model = synced({f"f{i}.txt": b"x" for i in range(8)})
    rnd = random.Random(5)
    for _step in range(400):
        path = f"f{rnd.randrange(10)}.txt"
        action = rnd.choice(["write", "same", "delete", "rename", "rebase", "adopt"])
        if action == "write":
            model.write(path, rnd.choice([b"x", b"y", b"z"]))
        elif action == "same" and path in model.files:
            model.write(path, b"x")
        elif action == "delete":
            model.delete(path)
        elif action == "rename" and path in model.files:
            model.rename(path, f"f{rnd.randrange(10)}.txt")
        elif action == "rebase" and path in model.files:
            local = model.files[path]
            model.rebase(path, Base(path, 2, local.sha256))
        elif action == "adopt":
            model.adopt(server_file(path, b"x", 3), b"x")
        walked = sorted((p, f) for p, f in model.files.items() if not f.clean)
        assert model.files.dirty() == walked
        assert model.pending_count() == len(walked) + len(model.tombstones)
    with pytest.raises(TypeError):
        model.files.update({"g.txt": LocalFile("g.txt", b"", False)})
