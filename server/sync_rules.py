"""The server's copy of the sync rules both sides enforce (contract/rules.py), loaded once."""

from __future__ import annotations

from contract.rules import SyncRules, load

RULES: SyncRules = load()
