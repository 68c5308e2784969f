"""tsconfig `extends` (files, packages, arrays) and `references` (create-vite's
solution-style config), and which config governs a file, as the editor applies it."""

from __future__ import annotations

from collections.abc import Callable

from client.core.tsconfig import convert
from client.core.tsconfig_tree import covers, governing, implicit_imports, load, project_configs
from tests.unit.client.monaco_typescript import monaco_enums

VITE_REACT_TS = {
    "tsconfig.json": """{
  "files": [],
  "references": [
    { "path": "./tsconfig.app.json" },
    { "path": "./tsconfig.node.json" }
  ]
}""",
    "tsconfig.app.json": """{
  "compilerOptions": {
    /* Bundler mode */
    "target": "es2023", "lib": ["ES2023", "DOM"], "module": "esnext",
    "types": ["vite/client"], "moduleResolution": "bundler", "jsx": "react-jsx",
    "allowImportingTsExtensions": true, "noUnusedLocals": true,
  },
  "include": ["src"]
}""",
    "tsconfig.node.json": """{
  "compilerOptions": {"target": "es2023", "types": ["node"], "module": "nodenext"},
  "include": ["vite.config.ts"]
}""",
}


def reader(files: dict[str, str]) -> Callable[[str], str | None]:
    return files.get


def test_references_pick_the_config_that_covers_the_file() -> None:
    configs = project_configs(set(VITE_REACT_TS), reader(VITE_REACT_TS))
    assert [c.path for c in configs] == ["tsconfig.json", "tsconfig.app.json", "tsconfig.node.json"]
    assert governing(configs, "src/App.tsx").path == "tsconfig.app.json"  # type: ignore[union-attr]
    assert governing(configs, "vite.config.ts").path == "tsconfig.node.json"  # type: ignore[union-attr]
    # A file no config covers gets the first reference's options (the root only lists).
    assert governing(configs, "eslint.config.js").path == "tsconfig.app.json"  # type: ignore[union-attr]
    app = configs[1]
    options = convert(app.compiler, monaco_enums(), app.path).options
    assert options["jsx"] == 4 and options["moduleResolution"] == 100
    assert options["allowImportingTsExtensions"] is True
    assert sorted(t for c in configs for t in c.types) == ["node", "vite/client"]
    assert implicit_imports(app, ["src/App.tsx"]) == ["react/jsx-runtime"]
    assert implicit_imports(configs[2], ["src/App.tsx"]) == []


def test_extends_file_package_and_array_merge_in_order() -> None:
    files = {
        "tsconfig.json": """{
          "extends": ["@tsconfig/strictest/tsconfig.json", "./configs/base"],
          "compilerOptions": {"noUnusedLocals": false}
        }""",
        "configs/base.json": """{
          "extends": "../shared.json",
          "compilerOptions": {"jsx": "preserve", "strict": false},
          "include": ["../src", "../types/**/*.d.ts"]
        }""",
        "shared.json": '{"compilerOptions": {"target": "es2020", "jsx": "react"}}',
        "node_modules/@tsconfig/strictest/tsconfig.json": """{
          "compilerOptions": {"strict": true, "noUnusedLocals": true, "target": "esnext"}
        }""",
    }
    config = load("tsconfig.json", reader(files))
    assert config.errors == []
    # Later bases win over earlier ones, the file itself over all; paths in a base are
    # relative to that base.
    assert config.compiler == {
        "strict": False,
        "noUnusedLocals": False,
        "target": "es2020",
        "jsx": "preserve",
    }
    assert config.include == ["src", "types/**/*.d.ts"]
    assert covers(config, "src/a/b.tsx") and covers(config, "types/x/y.d.ts")
    assert not covers(config, "other/a.ts") and not covers(config, "types/y.ts")


def test_package_extends_not_yet_read_is_wanted_and_cycles_stop() -> None:
    files = {"tsconfig.json": '{"extends": "@tsconfig/node20", "compilerOptions": {}}'}
    config = load("tsconfig.json", reader(files))
    assert "node_modules/@tsconfig/node20/tsconfig.json" in config.wanted
    assert config.errors  # said once the runtime has answered
    loop = {
        "tsconfig.json": '{"extends": "./a.json"}',
        "a.json": '{"extends": "./tsconfig.json"}',
    }
    assert any("circle" in e for e in load("tsconfig.json", reader(loop)).errors)
    outside = load("tsconfig.json", reader({"tsconfig.json": '{"extends": "../../etc/x.json"}'}))
    assert outside.errors and not outside.wanted


def test_globs_and_defaults() -> None:
    files = {"tsconfig.json": '{"include": ["src/**/*", "*.ts"], "exclude": ["src/**/*.test.ts"]}'}
    config = load("tsconfig.json", reader(files))
    assert covers(config, "src/a.ts") and covers(config, "vite.config.ts")
    assert not covers(config, "src/a.test.ts") and not covers(config, "lib/a.ts")
    everything = load("tsconfig.json", reader({"tsconfig.json": "{}"}))
    assert covers(everything, "a/b/c.ts") and not covers(everything, "node_modules/x/a.d.ts")
    broken = load("tsconfig.json", reader({"tsconfig.json": "{ nope"}))
    assert broken.errors and governing([broken], "a.ts") is broken
    assert project_configs(["a.ts"], reader({})) == []
