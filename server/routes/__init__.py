"""HTTP handlers: thin, they parse, call repo/ or auth, and shape the answer."""
