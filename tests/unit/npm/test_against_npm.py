"""Grounding in real npm: the host's npm CLI (npm 11) resolves the same hand-built graphs
from a local registry serving the same packuments (--package-lock-only, so no tarballs),
and its package-lock.json must equal ours byte for byte; `npm ls` prints what we print;
and where npm fails with ERESOLVE, so do we."""

from __future__ import annotations

import difflib
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from client.core.npm.errors import PeerConflict
from client.core.npm.lockfile import dumps, lock_document
from client.core.npm.ls import render_ls

from . import graphs
from .registry import Registry, host_npm_lock


def test_lockfiles_equal_host_npm(tmp_path: Path) -> None:
    """Every graph of graphs.py, host npm runs side by side (about 2 s in all)."""

    def compare(name: str) -> str | None:
        registry, root = graphs.ALL[name]()
        ours = dumps(lock_document(registry.tree(root)))
        host_npm_lock(registry, root, tmp_path / name)
        theirs = (tmp_path / name / "package-lock.json").read_text()
        if ours == theirs:
            return None
        diff = difflib.unified_diff(theirs.splitlines(), ours.splitlines(), "npm", "ours")
        return f"{name}:\n" + "\n".join(list(diff)[:60])

    with ThreadPoolExecutor(max_workers=len(graphs.ALL)) as pool:
        differences = [d for d in pool.map(compare, sorted(graphs.ALL)) if d]
    assert not differences, "\n\n".join(differences)


def test_npm_ls_equals_host_npm(tmp_path: Path) -> None:
    registry, root = graphs.deep_dedupe()
    tree = registry.tree(root)
    host_npm_lock(registry, root, tmp_path)
    for args, options in ((["--all"], {"all": True}), (["--depth=1"], {"depth": 1})):
        done = subprocess.run(
            ["npm", "ls", "--package-lock-only", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert render_ls(tree, root_path=str(tmp_path), **options) == done.stdout


def test_eresolve_where_npm_fails(tmp_path: Path) -> None:
    registry = Registry()
    registry.publish("react", "17.0.2")
    registry.publish("react", "18.2.0")
    registry.publish("react-dom", "18.2.0", peerDependencies={"react": "^18.2.0"})
    root = {"name": "p", "version": "1.0.0", "dependencies": {"react": "^17", "react-dom": "^18"}}
    with pytest.raises(PeerConflict):
        registry.tree(root)
    with pytest.raises(RuntimeError, match="ERESOLVE"):
        host_npm_lock(registry, root, tmp_path)
