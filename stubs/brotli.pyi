# brotli 1.2 ships untyped (a Python wrapper over its C module `_brotli`).
from typing import Final

MODE_GENERIC: Final[int]
MODE_TEXT: Final[int]
MODE_FONT: Final[int]

class error(Exception): ...

def compress(
    string: bytes, mode: int = 0, quality: int = 11, lgwin: int = 22, lgblock: int = 0
) -> bytes: ...
def decompress(string: bytes) -> bytes: ...
