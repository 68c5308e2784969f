"""When the editor says types are missing, and which diagnostics it holds back then."""

from __future__ import annotations

from client.core import type_notice


def test_missing_only_when_no_imported_package_has_types() -> None:
    assert type_notice.types_missing({"react", "vite"}, {})
    assert not type_notice.types_missing({"react", "vite"}, {"react": "node_modules/@types/react"})
    assert not type_notice.types_missing(set(), {})  # no packages imported: nothing to say
    text = type_notice.notice({"react", "react-dom", "vite", "node", "csstype"})
    assert "npm install" in text and "csstype, node, react and 2 more" in text
    assert 2307 in type_notice.MISSING_TYPE_CODES and 2875 in type_notice.MISSING_TYPE_CODES
