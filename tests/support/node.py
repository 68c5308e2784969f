"""Node scripts run by unit tests: the JSON a script prints on stdout."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest


def node_json(*args: str, timeout: float = 30) -> Any:
    """`node ARGS`, which must succeed and print one JSON value."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (make deps needs it for npm ci)")
    done = subprocess.run(
        [node, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
