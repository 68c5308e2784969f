// The IDE's side of the runtime sandbox (service_worker/sandbox/runtime.js): a hidden
// iframe on the project's sandbox origin, another site, runs the Pyodide runtime worker;
// this module speaks to it through one MessagePort, and to each session through a port of
// its own. No logic lives here, only the byte paths Python stays out of (ARCHITECTURE rule
// 6): keystrokes go from xterm straight onto the session's port, output comes from it
// straight into xterm.
//
// Everything that comes back is untrusted: the sandbox runs the project's code, and any
// page the project serves on that origin can script the host page. So the port is handed
// over once, to the iframe we made, at its origin; window messages are taken from that
// iframe only until then; and every message is checked for shape before it is passed on.

import { createSession } from "./terminal.mjs";

const HELLO_TIMEOUT_MS = 15000;
const STUCK_MS = 5000; // Ctrl+C ignored this long: the terminal offers a restart
const STATES = new Set(["running", "idle", "exit", "history", "cwd", "title"]);

// The worker's boot steps as marks on this page's timeline (cospai:worker-*), beside the
// workbench's own: bench/runtime.py reads them to say where the time to a prompt goes.
function markSteps(steps) {
  for (const item of steps.slice(0, 16)) {
    if (!Array.isArray(item) || typeof item[0] !== "string" || !Number.isFinite(item[1])) continue;
    const startTime = item[1] - performance.timeOrigin;
    if (startTime < 0 || startTime > 3_600_000) continue;
    performance.mark(`cospai:${item[0].slice(0, 40)}`, { startTime });
  }
}

export function createEngine(sandboxUrl, ideOrigin, onMessage) {
  const origin = new URL(sandboxUrl).origin;
  const frame = document.createElement("iframe");
  frame.hidden = true;
  frame.title = "runtime sandbox";
  frame.setAttribute("aria-hidden", "true");
  frame.setAttribute("allow", "cross-origin-isolated");
  // No top navigation, no popups, no forms: only scripts on its own origin (its service
  // worker and storage need the origin).
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin");
  const url = new URL(sandboxUrl);
  url.searchParams.set("ide", ideOrigin);
  frame.src = url.href;

  const channel = new MessageChannel();
  const port = channel.port1;
  const waiting = new Map();
  const queue = []; // posted before the sandbox said hello
  let next = 1;
  let connected = false;
  let closed = false;
  const handle = { isolated: false };

  function post(message, transfer) {
    if (closed) return;
    if (connected) port.postMessage(message, transfer || []);
    else queue.push([message, transfer || []]);
  }
  function fail(reason) {
    onMessage({ op: "status", state: "failed", reason });
  }

  const timer = setTimeout(() => {
    if (!connected && !closed) {
      fail(`the sandbox (${origin}) did not answer within ${HELLO_TIMEOUT_MS / 1000} s`);
    }
  }, HELLO_TIMEOUT_MS);

  function onWindowMessage(event) {
    if (event.source !== frame.contentWindow || event.origin !== origin || connected) return;
    const data = event.data;
    if (!data || data.type !== "cospai-runtime-hello") return;
    connected = true;
    clearTimeout(timer);
    performance.mark("cospai:sandbox-hello");
    window.removeEventListener("message", onWindowMessage); // nothing more comes this way
    handle.isolated = data.isolated === true;
    frame.contentWindow.postMessage({ type: "cospai-runtime-connect" }, origin, [channel.port2]);
    for (const [message, transfer] of queue.splice(0)) port.postMessage(message, transfer);
  }
  window.addEventListener("message", onWindowMessage);

  port.onmessage = ({ data }) => {
    if (!data || typeof data !== "object" || typeof data.op !== "string") return;
    if (data.op === "reply") {
      const pending = waiting.get(data.id);
      if (!pending) return;
      waiting.delete(data.id);
      if (data.ok === true) pending.resolve(data.value);
      else pending.reject(new Error(String(data.error || "the runtime refused")));
    } else {
      if (data.op === "status" && Array.isArray(data.steps)) markSteps(data.steps);
      onMessage(data);
    }
  };
  frame.addEventListener("error", () => fail(`the sandbox (${origin}) did not load`));
  document.body.append(frame);

  return Object.assign(handle, {
    origin,
    boot(paths) {
      post({ op: "boot", pyodide: paths.pyodide, client: paths.client,
             worker: paths.worker, wheelhouse: paths.wheelhouse, mirror: paths.mirror || null,
             npm: paths.npm || null });
    },
    call(method, args) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        post({ op: "call", id, method, args });
      });
    },
    open(sid, options, onState) {
      return openSession(post, sid, options, onState);
    },
    settled(id) {
      post({ op: "settled", id });
    },
    terminate() {
      post({ op: "terminate" });
      closed = true;
      clearTimeout(timer);
      window.removeEventListener("message", onWindowMessage);
      for (const pending of waiting.values()) pending.reject(new Error("the runtime stopped"));
      waiting.clear();
      port.close();
      frame.remove();
    },
  });
}

function openSession(post, sid, options, onState) {
  const channel = new MessageChannel();
  const port = channel.port1;
  let stuck = 0; // the timer started by a Ctrl+C while a program runs
  const session = createSession({
    sid,
    write(text) {
      text = String(text);
      if (session.running && !stuck && text.includes("\x03")) {
        stuck = setTimeout(() => {
          if (session.running) onState("stuck", STUCK_MS / 1000);
        }, STUCK_MS);
      }
      port.postMessage({ write: text });
    },
    resize(cols, rows) {
      port.postMessage({ resize: [cols | 0, rows | 0] });
    },
    close() {
      port.postMessage({ close: true });
      port.close();
    },
  });
  port.onmessage = ({ data }) => {
    if (!data || typeof data !== "object") return;
    if (typeof data.out === "string") {
      session.deliver(data.out);
    } else if (STATES.has(data.state)) {
      if (data.state !== "running" && data.state !== "history") {
        clearTimeout(stuck);
        stuck = 0;
      }
      if (data.state === "running") session.running = true;
      if (data.state === "idle") session.running = false;
      if (data.state === "exit") {
        session.running = false;
        session.exitCode = Number.isInteger(data.value) ? data.value : 1;
      }
      onState(data.state, data.value);
    }
  };
  post({ op: "open", sid, options }, [channel.port2]);
  return session;
}
