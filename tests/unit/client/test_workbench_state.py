"""The workbench's pure parts: commands and chords, tabs, layout, settings, tsconfig
options, and how the editor presents a file."""

from __future__ import annotations

import json

import pytest

from client.core.commands import CommandRegistry, chord, normalise
from client.core.editor_rules import LARGE_BYTES, human_size, present, wants_eager_model
from client.core.layout_state import SIZES, Layout
from client.core.settings import Settings
from client.core.tabs import TabList
from client.core.tsconfig import base_options, compiler_options, find_config

from .monaco_typescript import monaco_enums

# ------------------------------------------------------------------ commands


def test_chords_name_keys_the_same_way_whatever_the_modifier_order() -> None:
    assert chord("p", ctrl=True, shift=True) == "Ctrl+Shift+P"
    assert chord("P", meta=True, shift=True) == "Ctrl+Shift+P"  # Cmd counts as Ctrl
    assert chord("`", ctrl=True) == "Ctrl+`"
    assert chord("Control", ctrl=True) == "Ctrl"
    assert normalise("shift+ctrl+p") == "Ctrl+Shift+P"
    assert normalise("Cmd+S") == "Ctrl+S"
    with pytest.raises(ValueError, match="Hyper"):
        normalise("Hyper+X")


def test_registry_runs_by_chord_and_refuses_a_chord_taken_twice() -> None:
    ran: list[str] = []
    commands = CommandRegistry()
    commands.add("file.save", "Save", lambda: ran.append("save"), "Ctrl+S", "File")
    commands.add(
        "palette", "Show All Commands", lambda: ran.append("palette"), ("Ctrl+Shift+P", "F1")
    )
    save, palette = commands.for_chord(chord("s", ctrl=True)), commands.for_chord("F1")
    assert save is not None and save.id == "file.save"
    assert palette is not None
    palette.run()
    assert ran == ["palette"]
    assert commands.for_chord("Ctrl+Q") is None
    with pytest.raises(ValueError, match="already bound to file.save"):
        commands.add("other", "Other", lambda: None, "ctrl+s")
    assert [c.label for c in commands.all()] == ["File: Save", "Show All Commands"]
    assert commands.run("file.save") and ran[-1] == "save"
    assert not commands.run("missing")


# ------------------------------------------------------------------ tabs


def test_tabs_open_right_of_the_active_one_and_close_to_the_last_used() -> None:
    tabs = TabList()
    for path in ("a", "b", "c"):
        tabs.open(path)
    tabs.activate("a")
    tabs.open("d")
    assert tabs.paths == ["a", "d", "b", "c"]
    tabs.activate("c")
    tabs.activate("b")
    assert tabs.close("b") == "c"  # the most recently used, not the neighbour
    assert tabs.close("c") == "d"
    assert tabs.close("nope") == "d"
    tabs.close_others("a")
    assert tabs.paths == ["a"] and tabs.active == "a"
    assert tabs.close("a") is None and tabs.active is None


def test_tabs_reorder_follow_renames_and_drop_deleted_files() -> None:
    tabs = TabList(["src/a.js", "src/b.js", "x.txt"], active="src/b.js")
    tabs.move("x.txt", 0)
    assert tabs.paths == ["x.txt", "src/a.js", "src/b.js"]
    tabs.move("x.txt", 3)  # past the end: last
    assert tabs.paths == ["src/a.js", "src/b.js", "x.txt"]
    tabs.rename("src", "lib")
    assert tabs.paths == ["lib/a.js", "lib/b.js", "x.txt"] and tabs.active == "lib/b.js"
    assert tabs.keep_only({"lib/a.js", "x.txt"}) == ["lib/b.js"]
    assert tabs.active in {"lib/a.js", "x.txt"}


# ------------------------------------------------------------------ layout and settings


def test_layout_round_trips_and_clamps_what_was_stored() -> None:
    layout = Layout()
    layout.resize("sidebar", 10_000)
    assert layout.sizes["sidebar"] == SIZES["sidebar"][2]
    assert layout.toggle("bottom") is False and not layout.visible("bottom")
    layout.tabs, layout.active = ["a", "b"], "b"
    again = Layout.from_json(layout.to_json())
    assert again == layout
    broken = json.dumps(
        {
            "sizes": {"sidebar": "wide", "preview": -5},
            "hidden": ["nope", "bottom"],
            "sidebar_view": "evil",
            "tabs": ["a", 3, "a"],
            "active": "zzz",
        }
    )
    loaded = Layout.from_json(broken)
    assert loaded.sizes["sidebar"] == SIZES["sidebar"][0]
    assert loaded.sizes["preview"] == SIZES["preview"][1]
    assert loaded.hidden == ["bottom"] and loaded.sidebar_view == "explorer"
    assert loaded.tabs == ["a"] and loaded.active is None
    assert Layout.from_json("{not json") == Layout()
    assert Layout.from_json(None) == Layout()


def test_settings_are_checked_and_a_bad_stored_value_costs_only_itself() -> None:
    settings = Settings()
    settings.update("font_size", 99)
    assert settings.font_size == 32
    settings.update("vim", 1)
    assert settings.vim is True
    with pytest.raises(ValueError):
        settings.update("theme", "purple")
    with pytest.raises(KeyError):
        settings.update("colour", "red")
    loaded = Settings.load(json.dumps({"theme": "purple", "font_size": "x", "minimap": True}))
    assert loaded.theme == "auto" and loaded.font_size == 13 and loaded.minimap is True
    assert Settings.load("[1, 2]") == Settings()
    assert Settings.load(settings.to_json()) == settings
    chosen: list[str] = []
    settings.apply_theme(chosen.append)
    assert chosen == ["auto"]


# ------------------------------------------------------------------ tsconfig


def test_tsconfig_with_comments_and_trailing_commas_becomes_worker_options() -> None:
    text = """{
      // the app's settings
      "compilerOptions": {
        "target": "ES2022", "module": "NodeNext", "moduleResolution": "bundler",
        "jsx": "react-jsx", "strict": true, "baseUrl": ".", "paths": {"@/*": ["src/*"]},
        "outDir": "dist", "lib": ["dom"], "strictNullChecks": "yes", /* wrong type */
      },
      "include": ["src"],
    }"""
    parsed = compiler_options(text, monaco_enums())
    assert parsed.error is None
    assert parsed.options == {
        "target": 9,
        "module": 199,
        "moduleResolution": 100,
        "jsx": 4,
        "strict": True,
        "baseUrl": ".",
        "paths": {"@/*": ["src/*"]},
    }
    assert set(parsed.skipped) == {"outDir", "lib", "strictNullChecks"}


def test_jsconfig_allows_js_and_bad_configs_say_why() -> None:
    enums = monaco_enums()
    assert compiler_options(
        '{"compilerOptions": {"checkJs": true}}', enums, "jsconfig.json"
    ).options == {
        "allowJs": True,
        "checkJs": True,
    }
    assert "not valid JSON" in (compiler_options("{", enums, "tsconfig.json").error or "")
    assert "must hold an object" in (compiler_options("[]", enums).error or "")
    assert compiler_options('{"compilerOptions": {"target": "es1999"}}', enums).skipped == [
        "target"
    ]
    assert (
        compiler_options('{"s": "a // not a comment", "compilerOptions": {}}', enums).error is None
    )
    assert find_config(["a.ts", "jsconfig.json", "tsconfig.json"]) == "tsconfig.json"
    assert find_config(["src/tsconfig.json"]) is None
    base = base_options(enums)
    assert base["allowJs"] is True
    assert [base[k] for k in ("target", "module", "moduleResolution", "jsx")] == [7, 99, 2, 4]


# ------------------------------------------------------------------ how a file is shown


def test_files_are_edited_viewed_or_opened_read_only() -> None:
    assert present("a.txt", 10, False).kind == "text"
    assert not present("a.txt", 10, False).read_only
    big = present("big.log", LARGE_BYTES + 1, False)
    assert big.kind == "text" and big.read_only and "read-only" in big.notice
    image = present("img/Logo.PNG", 2000, True)
    assert (image.kind, image.mime) == ("image", "image/png")
    blob = present("data.bin", 2048, True)
    assert blob.kind == "binary" and "2.0 KB" in blob.notice
    assert present("icon.svg", 100, False).kind == "text"
    assert human_size(5) == "5 bytes" and human_size(3 * 1024 * 1024) == "3.0 MB"


def test_script_files_get_models_up_front_unless_ignored_or_huge() -> None:
    assert wants_eager_model("src/a.ts", 100, False)
    assert wants_eager_model("package.json", 100, False)
    assert not wants_eager_model("README.md", 100, False)
    assert not wants_eager_model("node_modules/x/index.js", 100, True)
    assert not wants_eager_model("dist/bundle.js", 10_000_000, False)
