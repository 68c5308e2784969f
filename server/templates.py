"""Project templates: plain folders under templates/, listed in templates/index.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    description: str
    runtime: str


@cache
def catalogue() -> dict[str, Template]:
    entries = json.loads((TEMPLATES_DIR / "index.json").read_text())
    return {e["id"]: Template(e["id"], e["name"], e["description"], e["runtime"]) for e in entries}


def files_of(template_id: str) -> dict[str, bytes]:
    """{relative path: bytes} of a template's folder."""
    folder = TEMPLATES_DIR / template_id
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
