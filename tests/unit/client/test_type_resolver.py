"""The declaration resolver over a node_modules held in memory: what TypeScript's
bundler/node16 resolution would load for a project's imports, nothing outside
node_modules, and no crash on hostile packages."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from client.core.dts_scan import needs, package_of, specifiers, types_package
from client.core.type_packages import entry_points, export_targets, version_matches
from client.core.type_resolver import TypeResolver, inside_node_modules, node_modules_dirs


class Tree:
    """A file tree for the resolver's reader, recording every path it was asked for."""

    def __init__(self, files: dict[str, str | bytes]) -> None:
        self.files = {p: v.encode() if isinstance(v, str) else v for p, v in files.items()}
        self.reads: list[str] = []

    async def read(self, path: str) -> bytes | None:
        self.reads.append(path)
        return self.files.get(path)

    async def listdir(self, path: str) -> set[str] | None:
        self.reads.append(path + "/")
        prefix = path + "/"
        names = {p[len(prefix) :].split("/")[0] for p in self.files if p.startswith(prefix)}
        return names or None


def pkg(**fields: Any) -> str:
    return json.dumps(fields)


def resolve(
    files: dict[str, str | bytes], imports: list[str], types: list[str] | None = None, **caps: int
) -> tuple[TypeResolver, Tree]:
    tree = Tree(files)
    resolver = TypeResolver(tree.read, tree.listdir, **caps)

    async def run() -> None:
        await resolver.add_imports(imports, "src")
        await resolver.add_types(types or [])

    asyncio.run(run())
    return resolver, tree


def loaded(resolver: TypeResolver) -> set[str]:
    return {p for p in resolver.result.files if not p.endswith("package.json")}


def test_exports_types_condition_nested_and_versioned() -> None:
    files: dict[str, str | bytes] = {
        "node_modules/react/package.json": pkg(name="react", main="index.js"),
        "node_modules/react/index.js": "module.exports = {}",
        "node_modules/@types/react/package.json": pkg(
            exports={
                ".": {
                    "types@<=5.0": {"default": "./ts5.0/index.d.ts"},
                    "types": {"default": "./index.d.ts"},
                },
                "./jsx-runtime": {"types": {"default": "./jsx-runtime.d.ts"}},
            },
            typesVersions={"<=5.0": {"*": ["ts5.0/*"]}},
        ),
        "node_modules/@types/react/index.d.ts": (
            '/// <reference path="global.d.ts" />\nimport * as CSS from "csstype";\n'
            "/** import { nothing } from 'lodash' (an example in a comment) */\n"
        ),
        "node_modules/@types/react/global.d.ts": "interface Event {}",
        "node_modules/@types/react/ts5.0/index.d.ts": "old",
        "node_modules/@types/react/jsx-runtime.d.ts": 'import "./";\nexport {}',
        "node_modules/csstype/package.json": pkg(types="index.d.ts"),
        "node_modules/csstype/index.d.ts": "export type Property = string;",
        "node_modules/lodash/package.json": pkg(types="index.d.ts"),
        "node_modules/lodash/index.d.ts": "export {}",
    }
    resolver, _ = resolve(files, ["react", "react/jsx-runtime"])
    assert loaded(resolver) == {
        "node_modules/@types/react/index.d.ts",
        "node_modules/@types/react/global.d.ts",
        "node_modules/@types/react/jsx-runtime.d.ts",
        "node_modules/csstype/index.d.ts",
    }
    # The package.json files TypeScript reads go along (react's own too: it is looked at).
    assert "node_modules/@types/react/package.json" in resolver.result.files
    assert resolver.result.found == {"react": "node_modules/@types/react"}
    assert resolver.result.missing == set()


def test_import_and_require_branches_patterns_and_subpaths() -> None:
    files: dict[str, str | bytes] = {
        "node_modules/dual/package.json": pkg(
            exports={
                ".": {
                    "import": {"types": "./dist/index.d.mts", "default": "./dist/index.mjs"},
                    "require": {"types": "./dist/index.d.cts", "default": "./dist/index.cjs"},
                },
                "./feature/*": {"types": "./dist/feature/*.d.ts"},
                "./internal/*": None,
            }
        ),
        "node_modules/dual/dist/index.d.mts": "export * from './shared.js'",
        "node_modules/dual/dist/shared.d.ts": "export {}",
        "node_modules/dual/dist/index.d.cts": "export {}",
        "node_modules/dual/dist/feature/a.d.ts": "export {}",
        "node_modules/dual/dist/internal/x.d.ts": "export {}",
    }
    resolver, _ = resolve(files, ["dual", "dual/feature/a", "dual/internal/x"])
    assert loaded(resolver) == {
        "node_modules/dual/dist/index.d.mts",
        "node_modules/dual/dist/index.d.cts",
        "node_modules/dual/dist/shared.d.ts",
        "node_modules/dual/dist/feature/a.d.ts",
    }


def test_types_versions_typings_main_and_index() -> None:
    files: dict[str, str | bytes] = {
        "node_modules/old/package.json": pkg(
            typings="lib/main.d.ts", typesVersions={"*": {"*": ["types/*"]}}
        ),
        "node_modules/old/types/lib/main.d.ts": "export {}",
        "node_modules/old/types/extra.d.ts": "export {}",
        "node_modules/plain/package.json": pkg(main="./lib/plain.js"),
        "node_modules/plain/lib/plain.d.ts": "export {}",
        "node_modules/bare/index.d.ts": "export {}",  # no package.json at all
    }
    resolver, _ = resolve(files, ["old", "old/extra", "plain", "bare"])
    assert loaded(resolver) == {
        "node_modules/old/types/lib/main.d.ts",
        "node_modules/old/types/extra.d.ts",
        "node_modules/plain/lib/plain.d.ts",
        "node_modules/bare/index.d.ts",
    }


def test_types_fallback_scoped_and_compiler_option_types() -> None:
    files: dict[str, str | bytes] = {
        "node_modules/@scope/lib/package.json": pkg(main="index.js"),
        "node_modules/@types/scope__lib/index.d.ts": '/// <reference types="node" />',
        "node_modules/@types/node/package.json": pkg(types="index.d.ts"),
        "node_modules/@types/node/index.d.ts": '/// <reference path="fs.d.ts" />',
        "node_modules/@types/node/fs.d.ts": 'declare module "node:fs" {}',
        "node_modules/vite/package.json": pkg(exports={"./client": {"types": "./client.d.ts"}}),
        "node_modules/vite/client.d.ts": '/// <reference path="./types/importMeta.d.ts" />',
        "node_modules/vite/types/importMeta.d.ts": "interface ImportMeta {}",
        "node_modules/nothing/package.json": pkg(main="index.js"),
    }
    resolver, _ = resolve(files, ["@scope/lib", "nothing", "absent", "./local"], ["vite/client"])
    assert loaded(resolver) == {
        "node_modules/@types/scope__lib/index.d.ts",
        "node_modules/@types/node/index.d.ts",
        "node_modules/@types/node/fs.d.ts",
        "node_modules/vite/client.d.ts",
        "node_modules/vite/types/importMeta.d.ts",
    }
    assert resolver.result.missing == {"nothing", "absent"}
    assert set(resolver.result.found) == {"@scope/lib", "vite"}


def test_nearest_node_modules_wins_and_cycles_end() -> None:
    files: dict[str, str | bytes] = {
        "node_modules/a/package.json": pkg(types="a.d.ts"),
        "node_modules/a/a.d.ts": 'import "b";\nexport * from "./a.js";',  # imports itself
        "node_modules/a/node_modules/b/index.d.ts": 'import "a";',
        "node_modules/b/index.d.ts": "the outer b, not seen from a",
    }
    resolver, _ = resolve(files, ["a"])
    assert loaded(resolver) == {"node_modules/a/a.d.ts", "node_modules/a/node_modules/b/index.d.ts"}


def test_hostile_packages_read_nothing_outside_node_modules() -> None:
    files: dict[str, str | bytes] = {
        "secret.d.ts": "declare const secret: string",
        "src/secret.d.ts": "declare const secret: string",
        "node_modules/evil/package.json": pkg(
            types="../../secret.d.ts", exports={".": {"types": "../../src/secret.d.ts"}}
        ),
        "node_modules/evil2/package.json": pkg(types="/secret.d.ts"),
        "node_modules/evil3/package.json": pkg(types="index.d.ts"),
        "node_modules/evil3/index.d.ts": (
            '/// <reference path="../../secret.d.ts" />\nimport "../../src/secret";\n'
            'import "../../../etc/passwd";\n/// <reference path="/etc/passwd" />'
        ),
        "node_modules/weird/package.json": pkg(exports=42, typesVersions="x", types=["a"]),
        "node_modules/weird/index.d.ts": "export {}",
        "node_modules/notjson/package.json": "{ not json",
        "node_modules/notjson/index.d.ts": "export {}",
        "node_modules/array/package.json": "[1, 2]",
        "node_modules/deep/package.json": json.dumps({"exports": _nested(200)}),
        "node_modules/huge/package.json": pkg(types="index.d.ts"),
        "node_modules/huge/index.d.ts": b"x" * 5000,
        "node_modules/binary/package.json": pkg(types="index.d.ts"),
        "node_modules/binary/index.d.ts": b"\xff\xfe\x00junk",
    }
    specs = ["evil", "evil2", "evil3", "weird", "notjson", "array", "deep", "huge", "binary"]
    resolver, tree = resolve(files, specs, max_file=4000)
    outside = [
        p for p in tree.reads if "node_modules" not in p.split("/")[:-1] and not p.endswith("/")
    ]
    assert outside == []
    assert not any("secret" in p for p in resolver.result.files)
    assert "node_modules/weird/index.d.ts" in resolver.result.files
    assert "node_modules/notjson/index.d.ts" in resolver.result.files
    assert "node_modules/huge/index.d.ts" not in resolver.result.files
    assert "left out" in (resolver.result.notice or "")
    assert "node_modules/binary/index.d.ts" in resolver.result.files  # decoded, replaced


def _nested(depth: int) -> Any:
    value: Any = "./index.d.ts"
    for _ in range(depth):
        value = {"types": value}
    return value


def test_total_cap_stops_with_a_notice() -> None:
    files: dict[str, str | bytes] = {f"node_modules/p{i}/index.d.ts": "x" * 1000 for i in range(10)}
    resolver, _ = resolve(files, [f"p{i}" for i in range(10)], max_total=3500)
    assert len(loaded(resolver)) == 3
    assert "stopped" in (resolver.result.notice or "")


def test_lazy_only_what_imports_reach() -> None:
    files: dict[str, str | bytes] = {
        "node_modules/used/index.d.ts": "export {}",
        "node_modules/unused/index.d.ts": "export {}",
    }
    resolver, tree = resolve(files, ["used"])
    assert loaded(resolver) == {"node_modules/used/index.d.ts"}
    assert not any("unused/" in p for p in tree.reads)


def test_scanner_and_names() -> None:
    text = (
        "import React, { useState } from 'react'\n"
        'import {\n  a,\n  b,\n} from "multi/line"\n'
        "import './side.css'\n"
        "export * from '@s/x/sub'\n"
        "type T = typeof import('dyn')\n"
        'const x = require("cjs")\n'
        "// import nope from 'commented'\n"
        " * import jsdoc from 'jsdoc'\n"
    )
    assert specifiers(text) == [
        "react",
        "multi/line",
        "@s/x/sub",
        "./side.css",
        "dyn",
        "cjs",
    ]
    found = needs('/// <reference types="node" />\n/// <reference path="./a.d.ts" />\n')
    assert (found.reference_types, found.reference_paths) == (["node"], ["./a.d.ts"])
    assert package_of("react-dom/client") == ("react-dom", "client")
    assert package_of("@s/x/y/z") == ("@s/x", "y/z")
    for not_a_package in ("./a", "../b", "/abs", "node:fs", "https://x", "@s", "", "Upper"):
        assert package_of(not_a_package) is None
    assert types_package("@s/x") == "@types/s__x"
    assert node_modules_dirs("src/a") == ["src/a/node_modules", "src/node_modules", "node_modules"]
    assert node_modules_dirs("node_modules/x") == ["node_modules/x/node_modules", "node_modules"]
    assert inside_node_modules("node_modules/x/../../a.d.ts") is None
    assert inside_node_modules("node_modules/x/../y/a.d.ts") == "node_modules/y/a.d.ts"


def test_package_json_rules() -> None:
    assert version_matches(">=4.2") and version_matches("*") and version_matches("^5.1")
    assert not version_matches("<=5.0") and not version_matches("<5") and not version_matches("~4")
    assert version_matches(">=4 <6") and version_matches("<4 || >=5")
    assert not version_matches("nonsense")
    assert export_targets({"./a/": "./lib/a/"}, "a/b.js") == ["./lib/a/b.js"]
    assert export_targets("./x.d.ts", "") == ["./x.d.ts"] and export_targets("./x.js", "y") == []
    assert export_targets(None, "") is None and export_targets(True, "") is None
    assert entry_points({"types": "./t.d.ts", "main": "m.js"}, "") == [
        "t.d.ts",
        "m.js",
        "index.d.ts",
    ]
