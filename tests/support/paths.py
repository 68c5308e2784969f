"""Where things are, for tests and benchmarks alike."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# COSPAI_TEST_DIST: test another build (one being made while a run uses dist/).
DIST = Path(os.environ.get("COSPAI_TEST_DIST") or ROOT / "dist")
ARTIFACTS = ROOT / "test-artifacts"  # screenshots and traces; git-ignored
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
