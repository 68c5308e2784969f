// The IDE side of the previews (see service_worker/sandbox/): a hidden relay iframe on the
// project's sandbox origin hands us a MessagePort to that origin's service worker; every
// preview request arrives on it and onRequest (Python) answers from the project's files.
//
// Messages are trusted by their *source window*, not only their origin: every page of the
// preview origin shares that origin, so only the relay we created may hand us a port, and
// only the preview iframe we show may report console output.

export function connect({ origin, sid, onRequest, onConsole, onLocation, onReady, onError }) {
  const relay = document.createElement("iframe");
  relay.hidden = true;
  relay.setAttribute("sandbox", "allow-scripts allow-same-origin"); // no top navigation
  relay.title = "preview relay";
  relay.setAttribute("aria-hidden", "true");
  relay.src = `${origin}/relay.html?sid=${encodeURIComponent(sid)}` +
    `&ide=${encodeURIComponent(location.origin)}`;
  let previewFrame = null;
  let port = null;

  function attach(next) {
    if (port) port.close();
    port = next;
    port.onmessage = async ({ data }) => {
      if (!data) return;
      if (data.type === "hello") {
        onReady();
        return;
      }
      if (typeof data.id !== "number") return;
      let reply;
      try {
        const body = data.body ? new Uint8Array(data.body) : null;
        const answer = await onRequest(String(data.method), String(data.path),
          String(data.query || ""), data.headers || {}, body);
        reply = { id: data.id, status: answer.status, headers: answer.headers, body: answer.body };
      } catch (error) {
        const body = new TextEncoder().encode(`The IDE could not answer: ${error}`);
        reply = { id: data.id, status: 500, headers: { "content-type": "text/plain" }, body };
      }
      port.postMessage(reply);
    };
  }

  function onMessage(event) {
    if (event.origin !== origin) return;
    const data = event.data || {};
    if (event.source === relay.contentWindow) {
      if (data.type === "cospai-preview-port" && data.sid === sid && event.ports[0]) {
        attach(event.ports[0]);
      } else if (data.type === "cospai-preview-error") {
        onError(String(data.message));
      }
      return;
    }
    if (previewFrame && event.source === previewFrame.contentWindow) {
      if (data.cospaiPreview === "console") {
        onConsole(String(data.level), String(data.text), String(data.stack || ""));
      } else if (data.cospaiPreview === "location") {
        onLocation(String(data.href));
      }
    }
  }

  window.addEventListener("message", onMessage);
  document.body.append(relay);
  return {
    watch(frame) { previewFrame = frame; },
    dispose() {
      window.removeEventListener("message", onMessage);
      if (port) port.close();
      relay.remove();
    },
  };
}
