"""HTTP handlers: thin, they parse, call auth, services/ or repo/, and shape the answer.
No SQL, no transactions, no database driver here (tests/unit/test_layering.py)."""
