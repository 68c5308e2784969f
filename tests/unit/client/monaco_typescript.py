"""A double of Monaco's TypeScript enums, as `monaco.typescript` exports them (Monaco 0.57):
what client/ffi/monaco.py reads in the page. tests/e2e/test_editor.py holds it against the
real Monaco, tests/unit/test_typescript_enums.py against TypeScript's own tsconfig reader."""

from __future__ import annotations

from client.core.tsconfig import TypeScriptEnums

MONACO_ENUMS = {
    "ScriptTarget": {
        "ES3": 0,
        "ES5": 1,
        "ES2015": 2,
        "ES2016": 3,
        "ES2017": 4,
        "ES2018": 5,
        "ES2019": 6,
        "ES2020": 7,
        "ESNext": 99,
        "JSON": 100,
        "Latest": 99,
    },
    "ModuleKind": {
        "None": 0,
        "CommonJS": 1,
        "AMD": 2,
        "UMD": 3,
        "System": 4,
        "ES2015": 5,
        "ESNext": 99,
    },
    "ModuleResolutionKind": {"Classic": 1, "NodeJs": 2},
    "JsxEmit": {
        "None": 0,
        "Preserve": 1,
        "React": 2,
        "ReactNative": 3,
        "ReactJSX": 4,
        "ReactJSXDev": 5,
    },
}


def monaco_enums() -> TypeScriptEnums:
    return TypeScriptEnums(MONACO_ENUMS)
