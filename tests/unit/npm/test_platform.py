"""npm's checkPlatform: os/cpu/libc lists with `!` negation; the browser fits no native
binary."""

from __future__ import annotations

from client.core.npm.platform import allowed, check_list


def test_lists_and_negation() -> None:
    assert check_list("linux", ["linux", "darwin"])
    assert not check_list("browser", ["linux", "darwin"])
    assert check_list("browser", ["!win32"])
    assert not check_list("win32", ["!win32"])
    assert not check_list("win32", ["!win32", "win32"])
    assert check_list("linux", ["!win32", "!darwin"])
    assert check_list("anything", ["any"])
    assert check_list("browser", [])
    assert check_list("linux", "linux") and not check_list("browser", "linux")


def test_native_packages_are_not_allowed_in_the_browser() -> None:
    esbuild = {"name": "@esbuild/linux-x64", "os": ["linux"], "cpu": ["x64"]}
    rollup = {"os": ["linux"], "cpu": ["x64"], "libc": ["glibc"]}
    fsevents = {"os": ["darwin"]}
    lightningcss = {"os": ["win32"], "cpu": ["arm64"]}
    for manifest in (esbuild, rollup, fsevents, lightningcss):
        assert not allowed(manifest)
    assert allowed(esbuild, os="linux", cpu="x64")
    assert not allowed(rollup, os="linux", cpu="x64")  # no libc known: refused, as npm
    assert allowed(rollup, os="linux", cpu="x64", libc="glibc")
    assert allowed({"name": "pure-js"})
    assert allowed({"os": ["!win32"]})
    assert allowed({"cpu": ["wasm32"]})
    assert not allowed({"libc": ["musl"]})
