"""Every bound the API puts on what it reads, in one place: body sizes, JSON depth and
number length, field lengths. The request models (server/models/) and the reading of
bodies (server/bodies.py) enforce them, and the OpenAPI document states them from there.

The limits the client enforces too (file, project and request sizes, path lengths, ops in
a sync) are not here: they live in contract/sync_rules.json, which both sides read
(server/sync_rules.py); the names below that come from it say so.
"""

from __future__ import annotations

from server.sync_rules import RULES

# --- bodies ------------------------------------------------------------------------------
SMALL_BODY = 16 * 1024  # accounts, revisions, share links: a few short fields
PROJECT_BODY = 64 * 1024  # a project's name and description (2,000 characters, escaped)
SYNC_BODY = RULES.max_request_bytes  # a sync, an import, an upload (contract)
# Sync bodies up to this size are read whole and parsed on the event loop; larger ones are
# parsed in a worker thread (a 32 MB body takes tens of milliseconds).
INLINE_BODY = 256 * 1024

# --- JSON ----------------------------------------------------------------------------------
# The deepest body the API takes is 4 levels ({"ops": [{"edits": [{}]}]}); CPython's parser
# recurses, and 7,000 levels raised RecursionError (a 500) before this bound.
MAX_DEPTH = 32
# Every integer field is below 2**62 (19 digits); CPython refuses past 4,300 digits with a
# message about sys.set_int_max_str_digits that means nothing to a client.
MAX_INT_DIGITS = 40
MAX_VERSION = 2**62 - 1  # versions, offsets and counts fit PostgreSQL's bigint with room

# --- fields (characters, after stripping where the field is stripped) ---------------------
NAME = 100  # a project's name, a display name
DESCRIPTION = 2000
MESSAGE = 500  # a revision's message
EMAIL = 254  # RFC 5321's path limit
SHARE_ROOT = 1000  # the folder a share link serves
PASSWORD_MIN, PASSWORD_MAX = 8, 1024  # taken exactly as sent; argon2 hashes any length
MAX_EDITS = 10_000  # edits in one patch operation
MAX_OPS = RULES.max_ops_per_sync  # operations in one sync (contract)
