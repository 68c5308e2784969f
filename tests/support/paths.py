"""Where things are, for tests and benchmarks alike."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots and traces; git-ignored
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
