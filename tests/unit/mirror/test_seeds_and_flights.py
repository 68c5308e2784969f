"""Reading the files `cospai mirror seed` takes, and one flight for many askers."""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from server.mirror import seeds
from server.mirror.flights import SingleFlight


def tarball(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_npm_tarball(tmp_path: Path) -> None:
    manifest = {"name": "@s/pkg", "version": "1.0.0"}
    path = tarball(
        tmp_path / "whatever.tgz",
        {"package/package.json": json.dumps(manifest).encode(), "package/lib/package.json": b"{"},
    )
    found = seeds.read(path, 10**6)
    assert (found.ecosystem, found.package, found.version) == ("npm", "@s/pkg", "1.0.0")
    assert found.filename == "pkg-1.0.0.tgz"
    assert set(found.expected.hashes) == {"sha512", "sha256", "sha1"}
    assert found.expected.size == path.stat().st_size


@pytest.mark.parametrize(
    ("files", "says"),
    [
        ({"package/index.js": b""}, "no package.json"),
        ({"package/package.json": b"[]"}, "not a JSON object"),
        ({"package/package.json": b'{"name": "x"}'}, "no name or version"),
        ({"package/package.json": b'{"name": "../x", "version": "1.0.0"}'}, "not a valid name"),
        ({"package/package.json": b'{"name": "x", "version": "../1"}'}, "is not one"),
    ],
)
def test_npm_tarballs_refused(tmp_path: Path, files: dict[str, bytes], says: str) -> None:
    with pytest.raises(seeds.SeedError, match=says):
        seeds.read(tarball(tmp_path / "x.tgz", files), 10**6)


def test_wheel_and_sdist(tmp_path: Path) -> None:
    wheel = tmp_path / "Typing_Ext-1.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("typing_ext-1.2.dist-info/METADATA", "Name: x\nRequires-Python: >=3.9\n")
    found = seeds.read(wheel, 10**6)
    assert (found.ecosystem, found.package, found.version) == ("pypi", "typing-ext", "1.2")
    assert found.filename == wheel.name and found.extra == {"requires-python": ">=3.9"}
    sdist = tarball(tmp_path / "my_pkg-0.3.1.tar.gz", {"my_pkg-0.3.1/PKG-INFO": b""})
    found = seeds.read(sdist, 10**6)
    assert (found.package, found.version) == ("my-pkg", "0.3.1")
    with pytest.raises(seeds.SeedError, match="over the limit"):
        seeds.read(sdist, 1)
    with pytest.raises(seeds.SeedError, match="not a wheel name"):
        seeds.read(tarball(tmp_path / "bad.whl", {}), 10**6)


def test_find(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/x.tgz", "a/b/y.whl", "a/b/z.tar.gz", "a/readme.txt"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in seeds.find(tmp_path)] == ["y.whl", "z.tar.gz", "x.tgz"]


def test_single_flight_runs_once_and_survives_a_cancelled_asker() -> None:
    calls = 0

    async def work() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return 42

    async def main() -> list[int]:
        flights = SingleFlight()
        first = asyncio.ensure_future(flights.run("k", work))
        await asyncio.sleep(0)
        first.cancel()  # the first asker goes away; the others still get the answer
        results = await asyncio.gather(*(flights.run("k", work) for _ in range(5)))
        assert not flights.running("k")
        return [*results, await flights.run("k", work)]

    assert asyncio.run(main()) == [42] * 6
    assert calls == 2  # once for the five, once more after it finished


def test_single_flight_shares_failures() -> None:
    async def fail() -> None:
        await asyncio.sleep(0.01)
        raise ValueError("upstream says no")

    async def main() -> list[BaseException | None]:
        flights = SingleFlight()
        return await asyncio.gather(
            *(flights.run("k", fail) for _ in range(3)), return_exceptions=True
        )

    assert [str(e) for e in asyncio.run(main())] == ["upstream says no"] * 3
