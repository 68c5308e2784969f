"""A project's tsconfig.json / jsconfig.json turned into the compiler options Monaco's
TypeScript worker takes. tsconfig files allow comments and trailing commas, and give enum
options as names ("es2020", "react-jsx"); the worker wants TypeScript's numeric values,
which Monaco knows (TypeScriptEnums). Options Monaco cannot honour (plugins, emit
settings) are left out and listed, so the editor can say which were skipped. `extends`
and `references` are followed by client/core/tsconfig_tree.py, which hands the merged
options to `convert`; `types` becomes declaration files the editor loads
(client/core/type_resolver.py), not an option."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# tsconfig spells an enum option's value as a word ("ES2022", "react-jsx"); the worker
# wants the number of the TypeScript enum member that word names. The words and their
# members are listed here; the numbers come from Monaco (monaco.typescript.ScriptTarget
# & co., read by client/ffi/monaco.py) through TypeScriptEnums.
ENUM_OPTIONS = {  # option, lower case -> (its name in compilerOptions, TypeScript's enum)
    "target": ("target", "ScriptTarget"),
    "module": ("module", "ModuleKind"),
    "moduleresolution": ("moduleResolution", "ModuleResolutionKind"),
    "jsx": ("jsx", "JsxEmit"),
}
WORDS = {  # enum -> word tsconfig accepts -> the member it names
    "ScriptTarget": {
        "es3": "ES3",
        "es5": "ES5",
        "es6": "ES2015",
        "es2015": "ES2015",
        "es2016": "ES2016",
        "es2017": "ES2017",
        "es2018": "ES2018",
        "es2019": "ES2019",
        "es2020": "ES2020",
        "es2021": "ES2021",
        "es2022": "ES2022",
        "es2023": "ES2023",
        "es2024": "ES2024",
        "esnext": "ESNext",
    },
    "ModuleKind": {
        "none": "None",
        "commonjs": "CommonJS",
        "amd": "AMD",
        "umd": "UMD",
        "system": "System",
        "es6": "ES2015",
        "es2015": "ES2015",
        "es2020": "ES2020",
        "es2022": "ES2022",
        "esnext": "ESNext",
        "node16": "Node16",
        "node18": "Node18",
        "nodenext": "NodeNext",
        "preserve": "Preserve",
    },
    "ModuleResolutionKind": {
        "classic": "Classic",
        "node": "NodeJs",
        "node10": "NodeJs",
        "node16": "Node16",
        "nodenext": "NodeNext",
        "bundler": "Bundler",
    },
    "JsxEmit": {
        "preserve": "Preserve",
        "react": "React",
        "react-native": "ReactNative",
        "react-jsx": "ReactJSX",
        "react-jsxdev": "ReactJSXDev",
    },
}
# Members the TypeScript in Monaco's worker (5.9) knows but monaco.typescript's enums,
# declared for an older TypeScript, leave out. tests/unit/test_typescript_enums.py holds
# them against TypeScript's own enums, so a Monaco upgrade that changes any is noticed.
NEWER_MEMBERS = {
    "ScriptTarget": {"ES2021": 8, "ES2022": 9, "ES2023": 10, "ES2024": 11},
    "ModuleKind": {
        "ES2020": 6,
        "ES2022": 7,
        "Node16": 100,
        "Node18": 101,
        "NodeNext": 199,
        "Preserve": 200,
    },
    "ModuleResolutionKind": {"Node16": 3, "NodeNext": 99, "Bundler": 100},
    "JsxEmit": {},
}


class TypeScriptEnums:
    """The numbers of TypeScript's enum members, as Monaco gives them: {"ScriptTarget":
    {"ES2020": 7, ...}, ...} (what monaco.typescript exports), completed by NEWER_MEMBERS."""

    def __init__(self, monaco: Mapping[str, Mapping[str, int]]) -> None:
        self.members = {
            name: {**newer, **monaco.get(name, {})} for name, newer in NEWER_MEMBERS.items()
        }

    def value(self, enum: str, word: str) -> int | None:
        """The number of the member a tsconfig word names (any case), or None."""
        member = WORDS[enum].get(word.lower())
        return None if member is None else self.members[enum].get(member)


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
    "allowArbitraryExtensions",
    "erasableSyntaxOnly",
    "noUncheckedSideEffectImports",
    "resolvePackageJsonExports",
    "resolvePackageJsonImports",
    "allowUmdGlobalAccess",
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


def parse(text: str, source: str = "tsconfig.json") -> tuple[dict[str, Any] | None, str | None]:
    """A config file's JSON object, or (None, the reason it is not one)."""
    try:
        data = json.loads(strip_jsonc(text))
    except ValueError as error:
        return None, f"{source} is not valid JSON: {error}"
    if not isinstance(data, dict):
        return None, f"{source} must hold an object"
    return data, None


def compiler_options(text: str, enums: TypeScriptEnums, source: str = "tsconfig.json") -> TsConfig:
    """Options for Monaco from a tsconfig/jsconfig's text (alone: no extends followed)."""
    data, error = parse(text, source)
    if data is None:
        return TsConfig(error=error, source=source)
    raw = data.get("compilerOptions", {})
    if not isinstance(raw, dict):
        return TsConfig(error=f"{source}: compilerOptions must be an object", source=source)
    result = convert(raw, enums, source)
    if "extends" in data:
        result.skipped.insert(0, "extends")
    return result


def convert(raw: dict[str, Any], enums: TypeScriptEnums, source: str = "tsconfig.json") -> TsConfig:
    """compilerOptions as tsconfig writes them -> the worker's options. jsconfig implies
    allowJs."""
    result = TsConfig(source=source)
    if source.endswith("jsconfig.json"):
        result.options["allowJs"] = True
    for name, value in raw.items():
        key = name.lower()
        if key in ENUM_OPTIONS:
            option, enum = ENUM_OPTIONS[key]
            number = enums.value(enum, value) if isinstance(value, str) else None
            if number is None:
                result.skipped.append(name)
            else:
                result.options[option] = number
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


def base_options(enums: TypeScriptEnums) -> dict[str, Any]:
    """What a project without a config gets: modern JS/TS, JSX, checks on by default for
    TypeScript (type errors show as squiggles), Node-style resolution so relative imports
    between project files resolve."""
    return {
        "target": enums.value("ScriptTarget", "es2020"),
        "module": enums.value("ModuleKind", "esnext"),
        "moduleResolution": enums.value("ModuleResolutionKind", "node"),
        "jsx": enums.value("JsxEmit", "react-jsx"),
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
