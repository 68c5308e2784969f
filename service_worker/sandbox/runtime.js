// The runtime host (runs on the sandbox origin, in a hidden iframe of the IDE page).
//
// User code never runs on the IDE's origin: this page starts the Pyodide runtime worker
// here, on another site, where no IDE cookie is sent and the IDE's storage is out of
// reach. The IDE talks to it through one MessagePort only, handed over once (after our
// hello) by the page that embeds us, and checked by source window and origin. What used to
// be the IDE's side of the worker lives here: the stdin rings and the interrupt byte are
// SharedArrayBuffers, which cannot cross to another site's page, so keystrokes and Ctrl+C
// arrive as port messages and are written into the shared memory here, where the worker
// reads them even while its thread is busy in a program.
//
// IDE -> here (the IDE port):  {op: "boot", pyodide, client, worker, wheelhouse} (paths on
//   this origin), mirror and npm (the package mirror's PyPI index and npm registry on the
//   IDE's origin, or null), {op: "call", id, method, args}, {op: "settled", id},
//   {op: "terminate"},
//   {op: "open", sid, options} with the session's own port.
// Here -> IDE: the worker's messages as they are ({op: status|reply|settle|events|error|
//   server-ready}); on a session port {out}, {state, value}.
// Session port, IDE -> here: {write: text}, {resize: [cols, rows]}, {close: true}.
"use strict";

const RING = 1 << 16; // bytes of typed input a session can hold before the worker reads
const params = new URLSearchParams(location.search);
// The port comes from the page that embeds us and no one else. Chromium says who that is
// (ancestorOrigins cannot be forged by the embedder); ?ide= is the fallback elsewhere.
const ide = (location.ancestorOrigins && location.ancestorOrigins[0]) || params.get("ide");
const isolated = typeof SharedArrayBuffer !== "undefined" && self.crossOriginIsolated === true;

let idePort = null;
let worker = null;
const interrupt = isolated ? new Int8Array(new SharedArrayBuffer(1)) : null;
const sessions = new Map(); // sid -> session

function send(message, transfer) {
  if (idePort) idePort.postMessage(message, transfer || []);
}

function ownPath(path) {
  // Asset paths the IDE names must stay on this origin.
  const url = new URL(String(path), location.origin);
  if (url.origin !== location.origin) throw new Error(`not a path on this origin: ${path}`);
  return url.href;
}

function mirrorUrl(value) {
  // The URLs off this origin the IDE may name: the package mirror's PyPI index and npm
  // registry, on the IDE's origin.
  if (value === null || value === undefined || value === "") return null;
  const url = new URL(String(value)); // relative: throws
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`not an http(s) URL: ${value}`);
  return url.href;
}

function boot(data) {
  if (worker) return;
  let urls;
  try {
    urls = {
      pyodideBase: ownPath(data.pyodide),
      clientZip: ownPath(data.client),
      wheelhouse: ownPath(data.wheelhouse),
      script: ownPath(data.worker),
      mirror: mirrorUrl(data.mirror),
      npm: mirrorUrl(data.npm),
    };
  } catch (error) {
    send({ op: "status", state: "failed", reason: String(error.message || error) });
    return;
  }
  worker = new Worker(urls.script, { type: "module", name: "cospai-runtime" });
  worker.onmessage = ({ data: message }) => {
    if (!message || typeof message !== "object") return;
    const transfer = [];
    if (message.op === "events" && Array.isArray(message.batch)) {
      for (const item of message.batch) if (item && item[2] && item[2].buffer) transfer.push(item[2].buffer);
    }
    send(message, transfer);
    if (message.op === "status" && message.state === "ready") keepForOffline();
    if (message.op === "crashed") {
      // Nothing more can run in it; the IDE starts a fresh engine (a new frame).
      worker.terminate();
      worker = null;
    }
  };
  worker.onerror = (event) => {
    // A module worker that fails to load (missing file, blocked by COEP) says little.
    send({ op: "status", state: "failed", reason: event.message || "the worker did not start" });
  };
  const interruptBuffer = interrupt && interrupt.buffer;
  worker.postMessage({ op: "boot", pyodideBase: urls.pyodideBase, clientZip: urls.clientZip,
                       wheelhouse: urls.wheelhouse, mirror: urls.mirror, npm: urls.npm,
                       interruptBuffer });
}

function open(sid, options, port) {
  const stdin = isolated ? new SharedArrayBuffer(8 + RING) : null;
  const head = stdin && new Int32Array(stdin, 0, 2);
  const ring = stdin && new Uint8Array(stdin, 8);
  const encoder = new TextEncoder();
  const channel = new MessageChannel(); // here <-> worker, for this session
  let pending = new Uint8Array(0); // typed but not yet in the ring (it was full)
  const session = { running: false };
  sessions.set(sid, session);
  function fill() {
    const written = Atomics.load(head, 0);
    const free = RING - ((written - Atomics.load(head, 1)) | 0);
    const count = Math.min(free, pending.length);
    for (let i = 0; i < count; i++) ring[(written + i) % RING] = pending[i];
    pending = pending.slice(count);
    Atomics.store(head, 0, (written + count) | 0);
    Atomics.notify(head, 0);
  }
  port.onmessage = ({ data }) => {
    if (!data || typeof data !== "object") return;
    if (typeof data.write === "string") {
      // Ctrl+C while a command runs: interrupt the Python running it.
      if (interrupt && session.running && data.write.includes("\x03")) Atomics.store(interrupt, 0, 2);
      if (!stdin) {
        channel.port1.postMessage({ data: data.write });
        return;
      }
      const bytes = encoder.encode(data.write);
      const joined = new Uint8Array(pending.length + bytes.length);
      joined.set(pending);
      joined.set(bytes, pending.length);
      pending = joined;
      fill();
      channel.port1.postMessage({ wake: true });
    } else if (Array.isArray(data.resize)) {
      // On the session's own port, so the new size lands in order with what is typed.
      channel.port1.postMessage({ resize: [data.resize[0] | 0, data.resize[1] | 0] });
    } else if (data.close) {
      channel.port1.close();
      port.close();
      sessions.delete(sid);
    }
  };
  channel.port1.onmessage = ({ data }) => {
    if (data.drained) {
      if (pending.length) fill();
      return;
    }
    if (data.state === "running") session.running = true;
    if (data.state === "idle" || data.state === "exit") session.running = false;
    port.postMessage(data); // {out} or {state, value}
    if (data.state === "exit") sessions.delete(sid);
  };
  worker.postMessage({ op: "open", sid, port: channel.port2, stdin, options }, [channel.port2]);
}

function attach(port) {
  idePort = port;
  port.onmessage = ({ data, ports }) => {
    if (!data || typeof data !== "object") return;
    if (data.op === "boot") boot(data);
    else if (!worker) return;
    else if (data.op === "call") {
      worker.postMessage({ op: "call", id: data.id, method: String(data.method), args: data.args });
    } else if (data.op === "settled") worker.postMessage({ op: "settled", id: data.id });
    else if (data.op === "open" && ports[0]) open(String(data.sid), data.options || {}, ports[0]);
    else if (data.op === "terminate") {
      worker.terminate();
      worker = null;
    }
  };
}

// Once the runtime has started, this origin's service worker keeps the runtime's files, so
// the next visit boots offline. Later, not during the boot it would compete with.
let kept = false;
function keepForOffline() {
  if (kept || !("serviceWorker" in navigator)) return;
  kept = true;
  setTimeout(() => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((registration) => {
      // Installed before (another build's files, maybe): bring the kept files up to date.
      if (registration.active) registration.active.postMessage({ type: "keep" });
    }).catch((error) => {
      console.warn("[cospai] the sandbox cannot keep the runtime for offline use:", error);
    });
  }, 1000);
}

function start() {
  if (parent === window || !ide) return;
  window.addEventListener("message", (event) => {
    if (event.source !== parent || event.origin !== ide || idePort) return;
    const data = event.data || {};
    if (data.type === "cospai-runtime-connect" && event.ports[0]) attach(event.ports[0]);
  });
  parent.postMessage({ type: "cospai-runtime-hello", isolated }, ide);
}

start();
