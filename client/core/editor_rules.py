"""What the editor does with a file, decided in one place: edit it, show it read-only
because it is large, show an image, or show a binary summary. Also which files get a
Monaco model up front (so imports across files resolve for IntelliSense)."""

from __future__ import annotations

from dataclasses import dataclass

LARGE_BYTES = 5 * 1024 * 1024  # over this, a file opens read-only with a warning
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".bmp": "image/bmp",
    ".ico": "image/x-icon",
    ".avif": "image/avif",
}
# SVG is text: it opens in the editor (it could carry script; never shown as a page here).
SCRIPT_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".d.ts")
EAGER_MODEL_LIMIT = 3000  # beyond this many script files, models are made on open only
EAGER_MODEL_BYTES = 512 * 1024  # a bundle this big would slow the TS worker for little gain


@dataclass(frozen=True)
class Presentation:
    kind: str  # "text" | "image" | "binary"
    read_only: bool = False
    notice: str = ""
    mime: str = ""


def suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def present(path: str, size: int, binary: bool) -> Presentation:
    mime = IMAGE_TYPES.get(suffix(path), "")
    if binary and mime:
        return Presentation("image", True, "", mime)
    if binary:
        return Presentation("binary", True, f"Binary file, {human_size(size)}: not shown as text.")
    if size > LARGE_BYTES:
        return Presentation(
            "text",
            True,
            f"This file is {human_size(size)}, over "
            f"{human_size(LARGE_BYTES)}: opened read-only to keep the editor "
            "responsive.",
        )
    return Presentation("text")


def wants_eager_model(path: str, size: int, ignored: bool) -> bool:
    """Script files outside ignored folders get a model when the project opens, so the
    TypeScript worker sees every module and cross-file imports resolve."""
    return (
        not ignored
        and size <= EAGER_MODEL_BYTES
        and path.lower().endswith(SCRIPT_SUFFIXES + (".json",))
    )


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
