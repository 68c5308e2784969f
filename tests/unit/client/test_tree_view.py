"""client.core.tree_view: the file tree's rows, open folders, selection and keyboard."""

from __future__ import annotations

import time

import pytest

from client.core.tree_view import PLACEHOLDER, TreeView, visible_window
from contract.rules import SyncRules

FILES = [
    "README.md",
    "src/app.py",
    "src/util/strings.py",
    "src/util/Numbers.py",
    "src/Zeta.py",
    "docs/guide.md",
    "node_modules/x/index.js",
    ".env",
    "b.txt",
]


@pytest.fixture
def tree(rules: SyncRules) -> TreeView:
    view = TreeView(rules)
    view.set_files(FILES)
    return view


def shown(tree: TreeView) -> list[str]:
    return [("  " * r.depth) + r.name + ("/" if r.is_folder else "") for r in tree.rows()]


def test_folders_come_first_then_files_case_insensitively(tree: TreeView) -> None:
    assert shown(tree) == ["docs/", "node_modules/", "src/", ".env", "b.txt", "README.md"]


def test_opening_folders_shows_their_children_one_level_deeper(tree: TreeView) -> None:
    tree.expand("src")
    tree.expand("src/util")
    assert shown(tree) == [
        "docs/",
        "node_modules/",
        "src/",
        "  util/",
        "    Numbers.py",
        "    strings.py",
        "  app.py",
        "  Zeta.py",
        ".env",
        "b.txt",
        "README.md",
    ]
    tree.collapse("src")
    assert tree.count == 6
    tree.expand("src")  # the inner folder stayed open
    assert tree.index_of("src/util/strings.py") == 5


def test_rows_carry_path_depth_kind_and_ignored(tree: TreeView) -> None:
    tree.expand("node_modules")
    tree.expand("node_modules/x")
    rows = {r.path: r for r in tree.rows()}
    assert rows["node_modules"].ignored and rows["node_modules"].is_folder
    assert rows["node_modules"].expanded
    assert rows["node_modules/x/index.js"].ignored and rows["node_modules/x/index.js"].depth == 2
    assert rows[".env"].ignored and not rows["b.txt"].ignored and not rows["src"].ignored


def test_the_index_is_built_once_per_change_of_paths(tree: TreeView) -> None:
    builds = tree.index_builds
    assert tree.set_files(list(FILES)) is False  # same paths, other object: nothing to do
    assert tree.set_files({p: None for p in FILES}.keys()) is False
    assert tree.index_builds == builds
    assert tree.set_files([*FILES, "new.txt"]) is True
    assert tree.index_builds == builds + 1 and "new.txt" in tree.visible_paths()


def test_twenty_thousand_files_index_and_flatten_quickly(rules: SyncRules) -> None:
    paths = [f"pkg{i // 1000}/mod{i // 100 % 10}/file{i}.py" for i in range(20_000)]
    tree = TreeView(rules)
    started = time.perf_counter()
    tree.set_files(paths)
    assert tree.count == 20  # nothing opened: only the top folders
    for folder in sorted(tree._dirs_in):  # open everything
        tree.expand(folder)
    assert tree.count == 20_000 + 20 + 200
    last = tree.row(tree.count - 1)
    elapsed = time.perf_counter() - started
    assert last.path == "pkg9/mod9/file9999.py" and last.depth == 2
    assert tree.index_of(last.path) == tree.count - 1
    assert elapsed < 2.0, elapsed  # CPython does it in a few tens of ms; room for Pyodide
    builds = tree.index_builds
    tree.set_files(paths)
    assert tree.index_builds == builds


def test_visible_window_with_overscan() -> None:
    assert visible_window(0, 220, 22, 1000, 5) == (0, 16)
    assert visible_window(2200, 220, 22, 1000, 5) == (95, 116)
    assert visible_window(22 * 995, 220, 22, 1000, 5) == (990, 1000)
    assert visible_window(0, 220, 22, 0, 5) == (0, 0)
    assert visible_window(10_000, 220, 22, 3, 5) == (3, 3)  # scrolled past a shrunk list


def test_click_ctrl_click_and_shift_click_select(tree: TreeView) -> None:
    tree.select("docs")
    assert tree.selection == {"docs"} and tree.focus == "docs"
    tree.select("b.txt", "toggle")
    assert tree.selection == {"docs", "b.txt"}
    tree.select("src", "range")  # from the anchor (the last clicked, b.txt) to src
    assert tree.selected() == ["src", ".env", "b.txt"]
    assert tree.focus == "src" and tree.targets() == ["src", ".env", "b.txt"]
    tree.select("docs", "toggle")
    assert tree.selection == {"docs", "src", ".env", "b.txt"}
    tree.select("docs", "toggle")
    assert tree.selection == {"src", ".env", "b.txt"} and tree.anchor == "docs"
    tree.select("README.md")
    assert tree.targets() == ["README.md"]


def test_targets_is_the_focus_alone_when_it_is_outside_the_selection(tree: TreeView) -> None:
    tree.select("docs")
    tree.select("b.txt", "toggle")
    tree.focus = "src"
    assert tree.targets() == ["src"]


def test_arrow_keys_move_focus_and_selection(tree: TreeView) -> None:
    assert tree.navigate("ArrowDown") and tree.focus == "docs"
    tree.navigate("ArrowDown")
    tree.navigate("ArrowDown", shift=True)
    assert tree.focus == "src" and tree.selected() == ["node_modules", "src"]
    tree.navigate("End")
    assert tree.focus == "README.md" and tree.selection == {"README.md"}
    tree.navigate("ArrowDown")  # stays at the end
    assert tree.focus == "README.md"
    tree.navigate("Home")
    assert tree.focus == "docs"
    tree.navigate("PageDown", page=4)
    assert tree.focus == "b.txt"
    tree.navigate("PageUp", page=100)
    assert tree.focus == "docs"
    assert tree.navigate("Enter") is False


def test_right_opens_then_enters_left_closes_then_goes_up(tree: TreeView) -> None:
    tree.select("src")
    tree.navigate("ArrowRight")
    assert "src" in tree.expanded and tree.focus == "src"
    tree.navigate("ArrowRight")
    assert tree.focus == "src/util"
    tree.navigate("ArrowRight")
    tree.navigate("ArrowRight")
    assert tree.focus == "src/util/Numbers.py"
    tree.navigate("ArrowRight")  # a file: nothing
    assert tree.focus == "src/util/Numbers.py"
    tree.navigate("ArrowLeft")
    assert tree.focus == "src/util" and "src/util" in tree.expanded
    tree.navigate("ArrowLeft")
    assert "src/util" not in tree.expanded and tree.focus == "src/util"
    tree.navigate("ArrowLeft")
    assert tree.focus == "src"
    tree.navigate("ArrowLeft")
    assert "src" not in tree.expanded
    tree.navigate("ArrowLeft")  # top level, closed: stays
    assert tree.focus == "src"


def test_collapsing_a_folder_pulls_the_focus_out_of_it(tree: TreeView) -> None:
    tree.reveal("src/util/strings.py")
    tree.collapse("src")
    assert tree.focus == "src"
    tree.reveal("src/util/strings.py")
    tree.collapse_all()
    assert tree.expanded == set() and tree.focus == "src" and tree.count == 6


def test_reveal_opens_the_parents_and_selects(tree: TreeView) -> None:
    index = tree.reveal("src/util/strings.py")
    assert tree.expanded == {"src", "src/util"}
    assert index == tree.index_of("src/util/strings.py") == 5
    assert tree.selection == {"src/util/strings.py"}
    assert tree.reveal("missing.txt") is None


def test_local_empty_folders_show_until_a_file_lands_in_them(tree: TreeView) -> None:
    tree.local_folders.update({"empty", "src/new/deeper"})
    assert tree.set_files(FILES) is True  # the local folders changed
    assert "empty" in tree.visible_paths()
    tree.expand("src")
    tree.expand("src/new")
    assert tree.is_folder("src/new") and "src/new/deeper" in tree.visible_paths()
    tree.set_files([*FILES, "src/new/deeper/a.txt"])
    assert tree.local_folders == {"empty"}
    tree.local_folders.discard("empty")
    tree.set_files([*FILES, "src/new/deeper/a.txt"])
    assert "empty" not in tree.visible_paths()


def test_the_new_entry_row_sits_first_in_its_folder(tree: TreeView) -> None:
    index = tree.begin_create("src/util", is_folder=False)
    assert index is not None
    assert tree.expanded >= {"src", "src/util"}
    row = tree.row(index)
    assert row.placeholder and row.path == "src/util/" + PLACEHOLDER and row.depth == 2
    assert tree.row(index - 1).path == "src/util"
    tree.end_create()
    assert tree.index_of("src/util/" + PLACEHOLDER) is None
    assert tree.begin_create("", True) == 0


def test_target_folder_follows_the_focus(tree: TreeView) -> None:
    assert tree.target_folder() == ""
    tree.reveal("src/app.py")
    assert tree.target_folder() == "src"
    tree.select("docs")
    assert tree.target_folder() == "docs"


def test_renamed_keeps_open_folders_and_selection(tree: TreeView) -> None:
    tree.reveal("src/util/strings.py")
    tree.renamed("src", "lib")
    tree.set_files([p.replace("src/", "lib/", 1) for p in FILES])
    assert tree.expanded == {"lib", "lib/util"}
    assert tree.focus == "lib/util/strings.py" and tree.selection == {"lib/util/strings.py"}


def test_a_vanished_focus_moves_to_the_nearest_folder(tree: TreeView) -> None:
    tree.reveal("src/util/strings.py")
    tree.set_files([p for p in FILES if not p.startswith("src/util/")])
    assert tree.focus == "src" and tree.selection == set()
