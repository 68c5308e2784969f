"""The OpenAPI document served at /api/openapi.json (filled in by the API issue)."""

from __future__ import annotations

from typing import Any


def document() -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "CosPAI IDE API", "version": "1"}, "paths": {}}
