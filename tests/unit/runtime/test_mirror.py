"""The runtime <-> model mirror, the snapshot diff and the terminal panel's rules."""

from __future__ import annotations

import os
from pathlib import Path

from client.core import fs_snapshot
from client.core.model import ProjectModel
from client.core.runtime import FileChange, command_line, quote
from client.core.runtime_mirror import RuntimeMirror
from client.core.terminal_state import SharedHistory, clean_name, main_entry, next_name
from client.core.watcher import FsEvent
from contract import rules as rules_module

RULES = rules_module.load()


def change(kind: str, path: str, content: bytes | None = None) -> FileChange:
    return FileChange(FsEvent(kind, path), content)


def test_program_writes_reach_the_model_in_slices_and_ignored_paths_never() -> None:
    model, mirror = ProjectModel(), RuntimeMirror(RULES, slice_size=2)
    mirror.add([change("create", f"f{i}.txt", b"x") for i in range(5)])
    mirror.add([change("create", "node_modules/a/index.js", b"1"), change("create", ".env", b"S")])
    assert mirror.pending() == 5
    assert mirror.apply_slice(model) == ["f0.txt", "f1.txt"]
    while mirror.pending():
        mirror.apply_slice(model)
    assert sorted(model.files) == [f"f{i}.txt" for i in range(5)]


def test_a_burst_is_coalesced_and_deletes_apply() -> None:
    model, mirror = ProjectModel(), RuntimeMirror(RULES)
    model.write("old.txt", b"old")
    mirror.add(
        [
            change("create", "a.txt", b"1"),
            change("change", "a.txt", b"2"),
            change("delete", "old.txt"),
        ]
    )
    assert mirror.apply_slice(model) == ["a.txt", "old.txt"]
    assert model.files["a.txt"].content == b"2"
    assert "old.txt" not in model.files


def test_binary_output_is_kept_as_binary_and_unchanged_content_is_not_an_edit() -> None:
    model, mirror = ProjectModel(), RuntimeMirror(RULES)
    model.write("same.txt", b"same")
    mirror.add([change("change", "same.txt", b"same"), change("create", "img.png", b"\x89PNG\0")])
    assert mirror.apply_slice(model) == ["img.png"]
    assert model.files["img.png"].binary


def test_what_a_program_wrote_is_not_written_back() -> None:
    model, mirror = ProjectModel(), RuntimeMirror(RULES)
    model.write("main.py", b"print(1)")
    assert mirror.seed(model) == {"main.py": b"print(1)"}
    mirror.add([change("create", "out.txt", b"v1")])
    mirror.apply_slice(model)
    assert mirror.to_runtime(model, ["out.txt", "main.py"]) == ({}, [])
    model.write("main.py", b"print(2)")
    assert mirror.to_runtime(model, ["main.py"]) == ({"main.py": b"print(2)"}, [])
    assert mirror.to_runtime(model, ["main.py"]) == ({}, [])  # already there


def test_tree_deletes_and_moves_remove_the_old_files_from_the_runtime() -> None:
    model, mirror = ProjectModel(), RuntimeMirror(RULES)
    for path in ("src/a.py", "src/b.py", "keep.py"):
        model.write(path, b"x")
    mirror.seed(model)
    model.rename("src/a.py", "lib/a.py")
    model.delete("src/b.py")
    writes, deletes = mirror.to_runtime(model, ["lib/a.py"])
    assert writes == {"lib/a.py": b"x"}
    assert deletes == ["src/a.py", "src/b.py"]


def test_snapshot_diff_sees_creates_changes_deletes_and_skips_ignored_folders(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("1")
    (tmp_path / "gone.txt").write_text("bye")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "big.js").write_text("x")
    before = fs_snapshot.take(str(tmp_path), RULES)
    assert sorted(before) == ["a.txt", "gone.txt"]
    (tmp_path / "a.txt").write_text("22")
    (tmp_path / "gone.txt").unlink()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "new.txt").write_text("n")
    os.utime(tmp_path / "a.txt", ns=(1, 1))
    events = fs_snapshot.diff(before, fs_snapshot.take(str(tmp_path), RULES))
    assert [(e.kind, e.path) for e in events] == [
        ("change", "a.txt"),
        ("create", "sub/new.txt"),
        ("delete", "gone.txt"),
    ]


def test_an_install_is_seen_by_its_lockfile_in_node_modules_and_nothing_else_there(
    tmp_path: Path,
) -> None:
    """node_modules/.package-lock.json is stamped (the editor reloads types when an install
    rewrites it); the watcher still drops it, as every path in node_modules/."""
    (tmp_path / "node_modules" / "react").mkdir(parents=True)
    before = fs_snapshot.take(str(tmp_path), RULES)
    (tmp_path / "node_modules" / "react" / "index.js").write_text("x")
    (tmp_path / "node_modules" / ".package-lock.json").write_text("{}")
    events = fs_snapshot.diff(before, fs_snapshot.take(str(tmp_path), RULES))
    assert [(e.kind, e.path) for e in events] == [("create", "node_modules/.package-lock.json")]
    mirror = RuntimeMirror(RULES)
    mirror.add([FileChange(events[0], b"{}")])
    assert not mirror.pending()


def test_spawn_command_lines() -> None:
    assert command_line("sh", []) == (True, "")
    assert command_line("sh", ["-c", "ls -la"]) == (False, "ls -la")
    assert command_line("python", ["my file.py", "it's"]) == (
        False,
        "python 'my file.py' 'it'\\''s'",
    )
    assert quote("a.py") == "a.py" and quote("") == "''"


def test_terminal_rules() -> None:
    assert next_name(["Terminal 1", "Terminal 3"]) == "Terminal 2"
    assert clean_name("  my\tserver  ", "Terminal 1") == "my server"
    assert clean_name("   ", "Terminal 1") == "Terminal 1"
    assert main_entry({"app.py", "lib/x.py"}, "lib/x.py") == "lib/x.py"
    assert main_entry({"app.py", "README.md"}, "README.md") == "app.py"
    assert main_entry({"main.py", "app.py"}, None) == "main.py"
    assert main_entry({"index.html"}, None) is None
    history = SharedHistory('["ls", 3, "pwd"]')
    history.add("pwd")
    history.add("  ")
    history.add("echo hi")
    assert history.lines == ["ls", "pwd", "echo hi"]
    assert SharedHistory("not json").lines == []
