"""Every error code the server's code can answer is in the OpenAPI document (422 bad_patch
and not_text were not), with its status where the code names one."""

from __future__ import annotations

import re
from pathlib import Path

from server.openapi import document
from tests.unit.test_openapi import operations

SERVER = Path(__file__).resolve().parents[2] / "server"
WITH_STATUS = re.compile(r'ApiError\(\s*(\d{3}),\s*"([a-z_]+)"')
OP_ERROR_STATUS = re.compile(r'(\d{3}),\s*(?:code=)?"([a-z_]+)"\)')
CODE_ONLY = re.compile(r'code="([a-z_]+)"|_refuse\("([a-z_]+)"')
# Not answers of an operation: a 500 (never documented per route), the host check, which
# refuses requests before any route (server/hosts.py), and the 405 of a method no route has.
UNDOCUMENTED = {"internal", "bad_host", "method_not_allowed"}


def documented() -> dict[str, set[str]]:
    codes: dict[str, set[str]] = {}
    for _template, _method, operation in operations(document()):
        for status, response in operation["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            for part in schema.get("allOf", [])[1:]:
                enum = part["properties"]["error"]["properties"]["code"].get("enum", [])
                codes.setdefault(status, set()).update(enum)
    return codes


def test_every_error_code_in_the_code_is_documented() -> None:
    known = documented()
    everywhere = set().union(*known.values())
    found_with_status: set[tuple[str, str]] = set()
    found: set[str] = set()
    for source in SERVER.rglob("*.py"):
        text = source.read_text()
        for status, code in WITH_STATUS.findall(text) + OP_ERROR_STATUS.findall(text):
            found_with_status.add((status, code))
        for pair in CODE_ONLY.findall(text):
            found.add(next(c for c in pair if c))
    assert {"bad_patch", "not_text"} <= found
    missing = {
        f"{status} {code}"
        for status, code in found_with_status
        if code not in UNDOCUMENTED and code not in known.get(status, set())
    }
    missing |= {code for code in found - UNDOCUMENTED if code not in everywhere}
    assert not missing, f"error codes the OpenAPI document does not list: {sorted(missing)}"
