"""A project's tsconfig.json / jsconfig.json turned into the compiler options Monaco's
TypeScript worker takes. tsconfig files allow comments and trailing commas, and give enum
options as names ("es2020", "react-jsx"); the worker wants TypeScript's numeric values.
Options Monaco cannot honour (project references, `extends` of a package, plugins) are
left out and listed, so the editor can say which were skipped."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

# TypeScript's own numeric enum values (stable across releases).
TARGETS = {
    "es3": 0,
    "es5": 1,
    "es6": 2,
    "es2015": 2,
    "es2016": 3,
    "es2017": 4,
    "es2018": 5,
    "es2019": 6,
    "es2020": 7,
    "es2021": 8,
    "es2022": 9,
    "es2023": 10,
    "es2024": 11,
    "esnext": 99,
}
MODULES = {
    "none": 0,
    "commonjs": 1,
    "amd": 2,
    "umd": 3,
    "system": 4,
    "es6": 5,
    "es2015": 5,
    "es2020": 6,
    "es2022": 7,
    "esnext": 99,
    "node16": 100,
    "node18": 101,
    "nodenext": 199,
    "preserve": 200,
}
RESOLUTION = {"classic": 1, "node": 2, "node10": 2, "node16": 3, "nodenext": 99, "bundler": 100}
JSX = {"preserve": 1, "react": 2, "react-native": 3, "react-jsx": 4, "react-jsxdev": 5}
ENUMS = {"target": TARGETS, "module": MODULES, "moduleresolution": RESOLUTION, "jsx": JSX}

# Plain options passed through as they are (after a type check).
BOOLEANS = {
    "allowJs",
    "checkJs",
    "strict",
    "noImplicitAny",
    "strictNullChecks",
    "noImplicitReturns",
    "noUnusedLocals",
    "noUnusedParameters",
    "esModuleInterop",
    "allowSyntheticDefaultImports",
    "experimentalDecorators",
    "emitDecoratorMetadata",
    "resolveJsonModule",
    "noImplicitThis",
    "strictFunctionTypes",
    "strictPropertyInitialization",
    "noFallthroughCasesInSwitch",
    "allowUnreachableCode",
    "allowUnusedLabels",
    "alwaysStrict",
    "isolatedModules",
    "noImplicitOverride",
    "useDefineForClassFields",
    "skipLibCheck",
    "exactOptionalPropertyTypes",
    "noUncheckedIndexedAccess",
    "noPropertyAccessFromIndexSignature",
    "verbatimModuleSyntax",
    "allowImportingTsExtensions",
    "forceConsistentCasingInFileNames",
}
STRINGS = {"baseUrl", "jsxFactory", "jsxFragmentFactory", "jsxImportSource"}
SKIPPED = {
    "references",
    "plugins",
    "composite",
    "incremental",
    "tsBuildInfoFile",
    "outDir",
    "rootDir",
    "declaration",
    "declarationMap",
    "sourceMap",
    "noEmit",
    "outFile",
    "typeRoots",
    "types",
    "lib",
    "extends",
    "files",
    "include",
    "exclude",
}

CONFIG_FILES = ("tsconfig.json", "jsconfig.json")


@dataclass
class TsConfig:
    options: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    error: str | None = None
    source: str | None = None


def strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas -> JSON (strings kept intact)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            end = i + 1
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[i : end + 1])
            i = end + 1
        elif text.startswith("//", i):
            newline = text.find("\n", i)
            i = n if newline < 0 else newline
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = n if close < 0 else close + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def compiler_options(text: str, source: str = "tsconfig.json") -> TsConfig:
    """Options for Monaco from a tsconfig/jsconfig's text. jsconfig implies allowJs."""
    result = TsConfig(source=source)
    try:
        data = json.loads(strip_jsonc(text))
    except ValueError as error:
        result.error = f"{source} is not valid JSON: {error}"
        return result
    if not isinstance(data, dict):
        result.error = f"{source} must hold an object"
        return result
    raw = data.get("compilerOptions", {})
    if not isinstance(raw, dict):
        result.error = f"{source}: compilerOptions must be an object"
        return result
    if source.endswith("jsconfig.json"):
        result.options["allowJs"] = True
    if "extends" in data:
        result.skipped.append("extends")
    for name, value in raw.items():
        key = name.lower()
        if key in ENUMS:
            number = ENUMS[key].get(str(value).lower()) if isinstance(value, str) else None
            if number is None:
                result.skipped.append(name)
            else:
                result.options[{"moduleresolution": "moduleResolution"}.get(key, key)] = number
        elif (name in BOOLEANS and isinstance(value, bool)) or (
            name in STRINGS and isinstance(value, str)
        ):
            result.options[name] = value
        elif name == "paths" and isinstance(value, dict):
            result.options["paths"] = {
                k: [str(p) for p in v] for k, v in value.items() if isinstance(v, list)
            }
        else:
            result.skipped.append(name)
    return result


def base_options() -> dict[str, Any]:
    """What a project without a config gets: modern JS/TS, JSX, checks on by default for
    TypeScript (type errors show as squiggles), Node-style resolution so relative imports
    between project files resolve."""
    return {
        "target": TARGETS["es2020"],
        "module": MODULES["esnext"],
        "moduleResolution": RESOLUTION["node"],
        "jsx": JSX["react-jsx"],
        "allowJs": True,
        "esModuleInterop": True,
        "allowSyntheticDefaultImports": True,
        "allowNonTsExtensions": True,
        "resolveJsonModule": True,
    }


def find_config(paths: list[str]) -> str | None:
    """The config at the project root (tsconfig wins over jsconfig, as in VS Code)."""
    for name in CONFIG_FILES:
        if name in paths:
            return name
    return None
