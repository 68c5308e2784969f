"""The tsconfig words the editor understands (client/core/tsconfig.py) give the numbers
TypeScript's own tsconfig reader gives, run under Node from the TypeScript that Monaco's
worker runs: Monaco's exported enums (the double in tests/unit/client/monaco_typescript.py)
completed by NEWER_MEMBERS must agree with it word for word."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from client.core.tsconfig import ENUM_OPTIONS, NEWER_MEMBERS, WORDS
from tests.support.paths import ROOT
from tests.unit.client.monaco_typescript import MONACO_ENUMS, monaco_enums

TYPESCRIPT = (
    ROOT / "node_modules/monaco-editor/esm/vs/languages/features/typescript/lib"
    "/typescriptServices.js"
)
READ = """
const { typescript: ts } = await import(process.argv[1]);
const asked = JSON.parse(process.argv[2]);
const read = asked.map(([option, word]) =>
  ts.convertCompilerOptionsFromJson({ [option]: word }, "/").options[option] ?? null);
const enums = Object.fromEntries(
  JSON.parse(process.argv[3]).map((name) => [name, Object.fromEntries(
    Object.entries(ts[name]).filter(([, value]) => typeof value === "number"))]));
console.log(JSON.stringify({ read, enums }));
"""


@pytest.fixture(scope="module")
def typescript() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (make deps needs it for npm ci)")
    if not TYPESCRIPT.is_file():
        pytest.fail("monaco-editor is missing from node_modules: run `make deps`")
    asked = [[option, word] for option, enum in ENUM_OPTIONS.values() for word in WORDS[enum]]
    done = subprocess.run(
        [
            node,
            "--input-type=module",
            "-e",
            READ,
            TYPESCRIPT.as_uri(),
            json.dumps(asked),
            json.dumps(list(WORDS)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    return {**result, "read": dict(zip(map(tuple, asked), result["read"], strict=True))}


def test_every_word_reads_as_typescript_reads_it(typescript: dict) -> None:
    enums = monaco_enums()
    ours = {
        (option, word): enums.value(enum, word)
        for option, enum in ENUM_OPTIONS.values()
        for word in WORDS[enum]
    }
    assert ours == typescript["read"]


def test_newer_members_and_monaco_s_members_are_typescript_s(typescript: dict) -> None:
    for enum, members in NEWER_MEMBERS.items():
        assert {m: typescript["enums"][enum].get(m) for m in members} == members, enum
    for enum, members in MONACO_ENUMS.items():
        assert {m: typescript["enums"][enum].get(m) for m in members} == members, enum
