"""npm packuments as the mirror keeps and serves them.

An upstream packument is kept with every version's `dist.tarball` pointing at the mirror
(`MARK/npm/<name>/-/<file>.tgz`, MARK standing for the mirror's base URL, filled in per
request so one copy serves every host name the server answers to), and a `sources` map
from each tarball's file name to its upstream URL and hashes. The abbreviated form
(`Accept: application/vnd.npm.install-v1+json`) keeps what an installer needs. A seeded
package's packument is built from its tarballs' package.json files."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import msgspec

from server.mirror.documents import MARK, Prepared
from server.mirror.integrity import Expected, from_npm_dist
from server.mirror.names import is_tarball_name, is_version

ABBREVIATED = "application/vnd.npm.install-v1+json"
# A version's fields in the abbreviated form (npm's registry documentation).
_ABBREVIATED_KEYS = (
    "name",
    "version",
    "deprecated",
    "dependencies",
    "optionalDependencies",
    "devDependencies",
    "bundleDependencies",
    "bundledDependencies",
    "peerDependencies",
    "peerDependenciesMeta",
    "acceptDependencies",
    "bin",
    "directories",
    "dist",
    "engines",
    "cpu",
    "os",
    "libc",
    "_hasShrinkwrap",
    "hasInstallScript",
    "funding",
    "license",
)
_INSTALL_SCRIPTS = ("preinstall", "install", "postinstall")


def decode(body: bytes) -> dict[str, Any]:
    doc = msgspec.json.decode(body)
    if not isinstance(doc, dict):
        raise ValueError("the document is not a JSON object")
    return doc


def tarball_url(name: str, filename: str) -> str:
    return f"{MARK}/npm/{name}/-/{filename}"


def prepare(
    doc: dict[str, Any],
    name: str,
    page_url: str,
    *,
    abbreviated: bool = False,
    shorten: bool = False,
    seed: Prepared | None = None,
) -> Prepared:
    """Point an upstream packument's tarballs at the mirror, dropping the versions it could
    not serve (no dist, no tarball URL, a version that is not one); `shorten` a full one
    to the abbreviated form; add the versions only a seed has (in the same form)."""
    if doc.get("name", name) != name:
        raise ValueError(f"the document is for {str(doc.get('name'))[:80]!r}, not {name!r}")
    versions = doc.get("versions")
    if not isinstance(versions, dict):
        raise ValueError("the document has no versions object")
    sources: dict[str, dict[str, Any]] = {}
    for version in list(versions):
        manifest = versions[version]
        dist = manifest.get("dist") if isinstance(manifest, dict) else None
        url = dist.get("tarball") if isinstance(dist, dict) else None
        if not (isinstance(url, str) and isinstance(dist, dict) and is_version(version)):
            del versions[version]
            continue
        absolute = urljoin(page_url, url)
        filename = _filename(absolute, name, version, sources)
        sources[filename] = {"url": absolute, **from_npm_dist(dist).as_json()}
        dist["tarball"] = tarball_url(name, filename)
    if shorten:
        doc = abbreviate(doc)
    if seed is not None:
        seeded = decode(seed.body)
        merge(doc, abbreviate(seeded) if abbreviated else seeded)
        for filename, source in seed.sources.items():
            sources.setdefault(filename, source)
    return Prepared(msgspec.json.encode(doc), sources)


def _filename(url: str, name: str, version: str, taken: dict[str, Any]) -> str:
    last = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    if is_tarball_name(last) and last not in taken:
        return last
    return f"{name.rsplit('/', 1)[-1]}-{version}.tgz"


def abbreviate(doc: dict[str, Any]) -> dict[str, Any]:
    """The install-v1 form of a full packument."""
    versions = {}
    for version, manifest in (doc.get("versions") or {}).items():
        short = {key: manifest[key] for key in _ABBREVIATED_KEYS if key in manifest}
        scripts = manifest.get("scripts")
        if isinstance(scripts, dict) and any(s in scripts for s in _INSTALL_SCRIPTS):
            short["hasInstallScript"] = True
        versions[version] = short
    time = doc.get("time")
    modified = time.get("modified") if isinstance(time, dict) else None
    short_doc: dict[str, Any] = {"name": doc.get("name"), "dist-tags": doc.get("dist-tags", {})}
    if modified:
        short_doc["modified"] = modified
    short_doc["versions"] = versions
    return short_doc


def merge(upstream: dict[str, Any], seed: dict[str, Any]) -> None:
    """Add the seeded versions the upstream does not have (in place)."""
    versions = upstream.setdefault("versions", {})
    added = False
    for version, manifest in (seed.get("versions") or {}).items():
        if version not in versions:
            versions[version] = manifest
            added = True
    if added:
        for key in ("time", "dist-tags"):
            mine = seed.get(key)
            if isinstance(mine, dict):
                theirs = upstream.setdefault(key, {})
                for k, v in mine.items():
                    theirs.setdefault(k, v)


# --- seeding ------------------------------------------------------------------------------
def seed_version(manifest: dict[str, Any], filename: str, expected: Expected) -> dict[str, Any]:
    """A version's manifest from its package.json, as a registry serves it."""
    name, version = manifest["name"], manifest["version"]
    kept = {k: v for k, v in manifest.items() if k not in ("readme", "readmeFilename")}
    dist: dict[str, Any] = {"tarball": tarball_url(name, filename)}
    if "sha512" in expected.hashes:
        dist["integrity"] = "sha512-" + base64.b64encode(
            bytes.fromhex(expected.hashes["sha512"])
        ).decode("ascii")
    if "sha1" in expected.hashes:
        dist["shasum"] = expected.hashes["sha1"]
    return {**kept, "_id": f"{name}@{version}", "dist": dist}


def seed_document(
    name: str, versions: dict[str, dict[str, Any]], old: dict[str, Any] | None
) -> dict[str, Any]:
    """A full packument of these versions (and those an earlier seed kept)."""
    all_versions = dict((old or {}).get("versions") or {})
    all_versions.update(versions)
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    time = dict((old or {}).get("time") or {})
    for version in versions:
        time.setdefault(version, now)
    time.setdefault("created", now)
    time["modified"] = now
    latest = newest(list(all_versions))
    doc: dict[str, Any] = {"_id": name, "name": name, "dist-tags": {}, "versions": all_versions}
    if latest:
        doc["dist-tags"]["latest"] = latest
        description = all_versions[latest].get("description")
        if isinstance(description, str):
            doc["description"] = description
    doc["time"] = time
    return doc


_SEMVER = re.compile(r"v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?")


def newest(versions: list[str]) -> str | None:
    """The highest release version (prereleases only when there is nothing else)."""
    parsed = [(m, v) for v in versions if (m := _SEMVER.fullmatch(v))]
    releases = [(m, v) for m, v in parsed if m[4] is None] or parsed
    if not releases:
        return None
    return max(releases, key=lambda mv: (int(mv[0][1]), int(mv[0][2]), int(mv[0][3])))[1]
