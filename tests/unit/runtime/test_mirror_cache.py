"""client/glue/mirror-cache.mjs under Node, with Cache Storage and the network stood in
for: the mirror's files come from the cache first, its project pages from the network
first with the kept copy when the network fails or the mirror answers 5xx, and nothing
else is touched (other URLs, other methods, failed answers are never kept)."""

from __future__ import annotations

import json

from tests.support.node import node_json
from tests.support.paths import ROOT

MODULE = (ROOT / "client" / "glue" / "mirror-cache.mjs").as_uri()
INDEX = "http://ide.test/api/mirror/pypi/simple"
PAGE = "http://ide.test/api/mirror/pypi/simple/demo/"
FILE = "http://ide.test/api/mirror/pypi/files/demo/demo-1.0-py3-none-any.whl"
MISSING = "http://ide.test/api/mirror/pypi/simple/nope/"
REGISTRY = "http://ide.test/api/mirror/npm/"
PACKUMENT = REGISTRY + "@scope%2fdemo"
TARBALL = REGISTRY + "@scope/demo/-/demo-1.0.0.tgz"
OTHER = "http://ide.test/api/projects"

SCRIPT = """
import { keepingFetch, MIRROR_CACHE, NPM_CACHE } from %(module)s;
const store = new Map();
globalThis.caches = {
  async open(name) {
    if (name !== MIRROR_CACHE && name !== NPM_CACHE) throw new Error("another cache: " + name);
    const key = (url) => name + " " + url;
    return {
      async put(url, response) { store.set(key(url), await response.text()); },
      async match(url) {
        return store.has(key(url)) ? new Response(store.get(key(url))) : undefined;
      },
    };
  },
};
const net = { online: true, answers: %(answers)s, log: [] };
const fetcher = async (input, init) => {
  const url = typeof input === "string" ? input : input.url;
  net.log.push(((init && init.method) || "GET") + " " + url);
  if (!net.online) throw new TypeError("Failed to fetch");
  const [status, body] = net.answers[url] || [404, "not found"];
  return new Response(body, { status });
};
const get = keepingFetch(fetcher, %(index)s, %(registry)s);
async function read(url, init) {
  try {
    const response = await get(url, init);
    return [response.status, await response.text()];
  } catch (error) {
    return ["failed", String(error.message)];
  }
}
const seen = {};
seen.online = [await read(%(page)s), await read(%(file)s), await read(%(file)s),
               await read(%(page)s), await read(%(missing)s),
               await read(%(other)s, { method: "POST" })];
seen.npm = [await read(%(packument)s), await read(%(tarball)s), await read(%(tarball)s)];
net.answers[%(page)s] = [503, "upstream_unreachable"];
net.answers[%(file)s] = [200, "changed"];
net.answers[%(packument)s] = [503, "upstream_unreachable"];
seen.down = [await read(%(page)s), await read(%(file)s), await read(%(packument)s)];
net.online = false;
seen.offline = [await read(%(page)s), await read(%(file)s), await read(%(missing)s),
                await read(%(other)s), await read(%(packument)s), await read(%(tarball)s)];
seen.log = net.log;
seen.kept = [...store.keys()].sort();
console.log(JSON.stringify(seen));
"""


def run_script() -> dict:
    answers = {
        PAGE: [200, "page v1"],
        FILE: [200, "wheel bytes"],
        OTHER: [200, "ok"],
        PACKUMENT: [200, "packument v1"],
        TARBALL: [200, "tarball bytes"],
    }
    names = {
        "page": PAGE,
        "file": FILE,
        "missing": MISSING,
        "other": OTHER,
        "index": INDEX,
        "registry": REGISTRY,
        "packument": PACKUMENT,
        "tarball": TARBALL,
    }
    values = {key: json.dumps(value) for key, value in names.items()}
    script = SCRIPT % {**values, "module": json.dumps(MODULE), "answers": json.dumps(answers)}
    return dict(node_json("--input-type=module", "-e", script))


def test_files_cache_first_pages_network_first_and_the_rest_untouched() -> None:
    seen = run_script()
    assert seen["online"] == [
        [200, "page v1"],
        [200, "wheel bytes"],
        [200, "wheel bytes"],  # the second time from the cache
        [200, "page v1"],
        [404, "not found"],  # said as it is, and not kept
        [200, "ok"],
    ]
    # A mirror that cannot reach its upstream: the page kept before; a file never changes.
    assert seen["npm"] == [[200, "packument v1"], [200, "tarball bytes"], [200, "tarball bytes"]]
    assert seen["down"] == [[200, "page v1"], [200, "wheel bytes"], [200, "packument v1"]]
    assert seen["offline"] == [
        [200, "page v1"],
        [200, "wheel bytes"],
        ["failed", "Failed to fetch"],
        ["failed", "Failed to fetch"],
        [200, "packument v1"],  # npm installs offline what it installed once
        [200, "tarball bytes"],
    ]
    assert seen["log"].count(f"GET {FILE}") == 1  # fetched once, then always kept
    assert seen["log"].count(f"GET {PAGE}") == 4  # pages always ask the network first
    assert f"POST {OTHER}" in seen["log"]
    assert seen["log"].count(f"GET {TARBALL}") == 1
    assert seen["kept"] == sorted(
        [
            f"cospai-mirror-pypi {PAGE}",
            f"cospai-mirror-pypi {FILE}",
            f"cospai-mirror-npm {PACKUMENT}",
            f"cospai-mirror-npm {TARBALL}",
        ]
    )
