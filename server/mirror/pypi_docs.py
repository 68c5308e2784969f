"""PyPI project pages as the mirror keeps and serves them.

The upstream's page (PEP 691 JSON, or PEP 503 HTML from an index that has no JSON) is
kept as one PEP 691 document whose file URLs point at the mirror (MARK standing for its
base URL, as in npm_docs.py), with a `sources` map from each file name to its upstream
URL, hashes and size. It is served as JSON or as HTML, as the client's Accept asks."""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import msgspec

from server.mirror.documents import MARK, Prepared
from server.mirror.integrity import Expected, from_hashes
from server.mirror.names import is_pypi_filename, pypi_normalize

JSON_V1 = "application/vnd.pypi.simple.v1+json"
HTML_V1 = "application/vnd.pypi.simple.v1+html"
# Asked of an upstream: JSON first; HTML from a static index is fine too.
UPSTREAM_ACCEPT = f"{JSON_V1}, {HTML_V1};q=0.2, text/html;q=0.1"
_FILE_KEYS = ("requires-python", "yanked", "upload-time")
Json = dict[str, Any]
_SUFFIXES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".egg")


@dataclass(frozen=True)
class UpstreamFile:
    filename: str
    url: str
    expected: Expected
    extra: dict[str, Any]  # requires-python, yanked, upload-time, as PEP 691 names them


def file_url(project: str, filename: str) -> str:
    return f"{MARK}/pypi/files/{project}/{quote(filename)}"


def parse(body: bytes, content_type: str, page_url: str) -> list[UpstreamFile]:
    """The files an upstream project page lists (JSON or HTML)."""
    if "json" in content_type.split(";", 1)[0]:
        doc = msgspec.json.decode(body)
        if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
            raise ValueError("the JSON page has no files list")
        return [f for item in doc["files"] if (f := _from_json(item, page_url))]
    collector = _Anchors()
    collector.feed(body.decode("utf-8", errors="replace"))
    collector.close()
    return [f for attrs, text in collector.anchors if (f := _from_anchor(attrs, text, page_url))]


def _from_json(item: object, page_url: str) -> UpstreamFile | None:
    if not isinstance(item, dict):
        return None
    name, url = item.get("filename"), item.get("url")
    if not (isinstance(name, str) and isinstance(url, str) and is_pypi_filename(name)):
        return None
    extra = {key: item[key] for key in _FILE_KEYS if isinstance(item.get(key), str | bool)}
    expected = from_hashes(item.get("hashes"), item.get("size"))
    return UpstreamFile(name, urljoin(page_url, url), expected, extra)


def _from_anchor(attrs: dict[str, str], text: str, page_url: str) -> UpstreamFile | None:
    href = attrs.get("href")
    if not href:
        return None
    url, _, fragment = urljoin(page_url, href).partition("#")
    name = text.strip() or unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    if not is_pypi_filename(name):
        return None
    algo, _, value = fragment.partition("=")
    expected = from_hashes({algo: value} if value else {})
    extra: dict[str, Any] = {}
    if "data-requires-python" in attrs:
        extra["requires-python"] = attrs["data-requires-python"]
    if "data-yanked" in attrs:
        extra["yanked"] = attrs["data-yanked"] or True
    return UpstreamFile(name, url, expected, extra)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[dict[str, str], str]] = []
        self._open: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open, self._text = {k: v or "" for k, v in attrs}, []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.anchors.append((self._open, "".join(self._text)))
            self._open = None


def version_of(filename: str) -> str | None:
    """A file's version, from its name (wheel: the second part; sdist: after the last -)."""
    if filename.endswith(".whl"):
        parts = filename.split("-")
        return parts[1] if len(parts) >= 5 else None
    for suffix in _SUFFIXES:
        if filename.endswith(suffix):
            stem = filename[: -len(suffix)]
            return stem.rsplit("-", 1)[1] if "-" in stem else None
    return None


def prepare(project: str, files: list[UpstreamFile]) -> Prepared:
    """One PEP 691 document for the project, its files served by the mirror."""
    entries, sources = [], {}
    for item in files:
        if item.filename in sources:
            continue
        sources[item.filename] = {"url": item.url, **item.expected.as_json()}
        entries.append(_entry(project, item.filename, item.expected, item.extra))
    return Prepared(_encode(project, entries), sources)


def _entry(project: str, filename: str, expected: Expected, extra: dict[str, Any]) -> Json:
    entry: Json = {"filename": filename, "url": file_url(project, filename)}
    entry["hashes"] = dict(expected.hashes)
    if expected.size is not None:
        entry["size"] = expected.size
    entry.update(extra)
    return entry


def _encode(project: str, entries: list[Json]) -> bytes:
    versions = list(dict.fromkeys(v for e in entries if (v := version_of(e["filename"]))))
    sized = all("size" in e for e in entries)
    doc = {
        "meta": {"api-version": "1.1" if sized else "1.0"},
        "name": pypi_normalize(project),
        "files": entries,
        "versions": versions,
    }
    return msgspec.json.encode(doc)


def merge(upstream: Prepared, seed: Prepared) -> Prepared:
    """The upstream's page plus the seeded files it does not list."""
    doc = msgspec.json.decode(upstream.body)
    extra = [
        e for e in msgspec.json.decode(seed.body)["files"] if e["filename"] not in upstream.sources
    ]
    if not extra:
        return upstream
    sources = {**upstream.sources, **{e["filename"]: seed.sources[e["filename"]] for e in extra}}
    return Prepared(_encode(doc["name"], doc["files"] + extra), sources)


def seed_page(
    project: str, new: dict[str, tuple[Expected, Json]], old: Prepared | None
) -> Prepared:
    """A page for seeded files (file name -> its hashes and size, its extra fields), and
    those an earlier seed kept."""
    kept: dict[str, tuple[Expected, Json]] = {}
    for entry in msgspec.json.decode(old.body)["files"] if old else []:
        extra = {key: entry[key] for key in _FILE_KEYS if key in entry}
        kept[entry["filename"]] = (Expected(entry["hashes"], entry.get("size")), extra)
    kept.update(new)
    entries = [_entry(project, name, exp, extra) for name, (exp, extra) in sorted(kept.items())]
    sources = {name: {"url": None, **exp.as_json()} for name, (exp, _extra) in kept.items()}
    return Prepared(_encode(project, entries), sources)


# --- serving ------------------------------------------------------------------------------
def render_html(body: bytes, base: str) -> str:
    doc = msgspec.json.decode(body)
    name = html.escape(doc["name"])
    lines = [
        "<!DOCTYPE html>",
        '<html><head><meta name="pypi:repository-version" content="1.0">',
        f"<title>Links for {name}</title></head><body><h1>Links for {name}</h1>",
    ]
    for entry in doc["files"]:
        url = entry["url"].replace(MARK, base)
        hashes = entry.get("hashes") or {}
        if hashes:
            algo = "sha256" if "sha256" in hashes else sorted(hashes)[0]
            url += f"#{algo}={hashes[algo]}"
        attrs = f'href="{html.escape(url)}"'
        if "requires-python" in entry:
            attrs += f' data-requires-python="{html.escape(entry["requires-python"])}"'
        yanked = entry.get("yanked")
        if yanked:
            reason = yanked if isinstance(yanked, str) else ""
            attrs += f' data-yanked="{html.escape(reason)}"'
        lines.append(f"<a {attrs}>{html.escape(entry['filename'])}</a><br>")
    lines.append("</body></html>")
    return "\n".join(lines) + "\n"


def render_root(projects: list[str], as_json: bool) -> bytes:
    if as_json:
        listing = [{"name": p} for p in projects]
        return msgspec.json.encode({"meta": {"api-version": "1.0"}, "projects": listing})
    links = "".join(f'<a href="{quote(p)}/">{html.escape(p)}</a><br>\n' for p in projects)
    return (
        '<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0">'
        f"<title>Simple index</title></head><body>\n{links}</body></html>\n"
    ).encode()
