"""Zip archives built in memory: projects to import, uploads, exports to compare."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping


def zip_of(files: Mapping[str, bytes | str], *, deflate: bool = False) -> bytes:
    """A zip holding `files` (path -> content), stored as they are unless `deflate`."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return buffer.getvalue()
