"""A second origin for embed tests: a tiny page on its own port that frames /embed and
talks to it by postMessage, as a blog or a course site would. With `isolated`, the page is
sent with COOP/COEP (cross-origin isolated host); without, it is an ordinary page."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE = """<!doctype html><meta charset=utf-8><title>Host page</title>
<h1>A page that embeds CosPAI</h1>
<iframe id=embed src="{src}" width=1000 height=600
        allow="cross-origin-isolated; clipboard-write"></iframe>
<script>
  // Every message from the embed, kept for the test to read.
  window.events = [];
  const frame = document.getElementById("embed");
  addEventListener("message", (event) => {{
    if (event.source !== frame.contentWindow) return;
    window.events.push(event.data);
    // For bench/boot.py: when the embed said it is ready, in this page's clock.
    if (event.data && event.data.type === "ready" && !window.readyAt) {{
      window.readyAt = performance.now();
    }}
  }});
  window.send = (message) => frame.contentWindow.postMessage(message, "{target}");
</script>
"""


class _Handler(BaseHTTPRequestHandler):
    isolated = False

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        query = parse_qs(urlsplit(self.path).query)
        src = query.get("src", [""])[0]
        parts = urlsplit(src)
        body = PAGE.format(src=html.escape(src), target=f"{parts.scheme}://{parts.netloc}")
        data = body.encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        if query.get("isolated", ["0"])[0] == "1":
            self.send_header("cross-origin-opener-policy", "same-origin")
            self.send_header("cross-origin-embedder-policy", "require-corp")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def host_server() -> Iterator[str]:
    """Yield the host page's origin, http://localhost:<port> (another site than the IDE's
    127.0.0.1); stopped afterwards."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
