"""The sandbox site of a static-only build (`build.py --static-only --sandbox-host P`).

With no server, the sandbox origin (where user code runs, ARCHITECTURE rule 10) is a second
static site: dist/sandbox-site/, served on the sandbox's wildcard name by any static host
that sends its _headers (Netlify, Cloudflare Pages; nginx or Apache as the README shows).
It holds what the server's sandbox origin answers (contract/sandbox_files.py): the runtime
host and preview relay pages at the root, the offline list, and the runtime's asset groups,
hard-linked from dist/assets/ so the disk holds them once. It is written after the manifest,
so the IDE's service worker never downloads it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from builder import BuildError
from builder.shell import header_lines
from contract import isolation, sandbox_files

FOLDER = "sandbox-site"
PLACEHOLDER = "{project}"

HEADERS_FILE = """\
# The sandbox site (user code). The IDE, cross-origin isolated, embeds its pages from
# another site: they need COEP, and CORP cross-origin.
/*
{headers}/assets/*
  Cache-Control: public, max-age=31536000, immutable
"""


def check_pattern(pattern: str) -> str:
    """A sandbox origin pattern: `https://{project}.sandbox.example.com` (a site per
    project, one wildcard DNS name) or one origin shared by every project."""
    pattern = pattern.strip().rstrip("/")
    parts = urlsplit(pattern.replace(PLACEHOLDER, "p0"))
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username is not None
        or port == -1
    ):
        raise BuildError(
            f"--sandbox-host {pattern!r} is not an origin pattern such as "
            "'https://{project}.sandbox.example.com'"
        )
    first_label = (parts.hostname or "").startswith("p0.")
    if pattern.count(PLACEHOLDER) > 1 or (PLACEHOLDER in pattern and not first_label):
        raise BuildError(f"--sandbox-host {pattern!r}: {PLACEHOLDER} must be the first label")
    return pattern


def write_sandbox_site(stage: Path, build_id: str) -> Path:
    folder = stage / FOLDER
    folder.mkdir()
    for url, name in sandbox_files.FILES.items():
        shutil.copyfile(stage / name, folder / url.lstrip("/"))
    names = [
        path.relative_to(stage).as_posix()
        for path in sorted((stage / "assets").rglob("*"))
        if path.is_file()
    ]
    listing = sandbox_files.file_list(build_id, names)
    (folder / sandbox_files.FILE_LIST.lstrip("/")).write_text(json.dumps(listing))
    for name in names:
        if sandbox_files.is_runtime_asset(f"/{name}"):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(stage / name, target)
    headers = header_lines({**isolation.SANDBOX, **sandbox_files.EXTRA_HEADERS})
    (folder / "_headers").write_text(HEADERS_FILE.format(headers=headers))
    return folder
