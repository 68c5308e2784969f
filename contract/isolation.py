"""The headers that make a page cross-origin isolated (SharedArrayBuffer, WebContainer,
Pyodide interrupts), one set per origin. The server sends them (server/headers.py,
server/sandbox_site.py); build.py writes them into a static host's _headers file and into
both service workers (service_worker/sw.js adds them on a static host that does not;
service_worker/sandbox/sw.js to the previews it answers)."""

from __future__ import annotations

# The IDE's origin: its own documents and workers only, isolated from every other site.
IDE = {
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
    "cross-origin-resource-policy": "same-origin",
}
# The sandbox origin (user code): the isolated IDE embeds its documents, so they need COEP,
# and CORP cross-origin because the IDE is another site (`same-site` is refused even
# across two ports of one host).
SANDBOX = {
    "cross-origin-embedder-policy": "require-corp",
    "cross-origin-resource-policy": "cross-origin",
}
