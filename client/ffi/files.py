"""Files the person picked with <input type=file> (one zip, or a whole folder).

The JS File objects stay in here: callers see paths and sizes, and ask for bytes by index,
one file at a time, so a large folder never sits in memory twice.
"""

from __future__ import annotations

from typing import Any


class PickedFiles:
    def __init__(self, input_element: Any) -> None:
        files = input_element.files
        self._files = [files.item(i) for i in range(int(files.length))]
        # Cleared now, so picking the same zip or folder again still fires "change".
        input_element.value = ""

    def __len__(self) -> int:
        return len(self._files)

    def entries(self) -> list[tuple[str, int]]:
        """(path, size) per file: the path below the chosen folder's parent for a folder
        pick ("app/src/main.py"), else the file's own name."""
        found = []
        for file in self._files:
            relative = str(getattr(file, "webkitRelativePath", "") or "")
            found.append((relative or str(file.name), int(file.size)))
        return found

    async def read(self, index: int) -> bytes:
        buffer = await self._files[index].arrayBuffer()
        return bytes(buffer.to_bytes())

    def close(self) -> None:
        self._files = []
