# The browser's global scope (`window` on the page, `self` in a worker): every name is a
# JS value whose shape mypy cannot know.
from typing import Any

def __getattr__(name: str) -> Any: ...
