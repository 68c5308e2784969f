// The Pyodide engine's worker: its own Python (never the IDE's), booted from our origin,
// the project under /project. The logic is Python (client/core/runtime_host.py); this file
// only carries bytes: it boots, answers calls from the page, and moves terminal input and
// output between each session's MessagePort and the host.
//
// Input: the page writes keystrokes into a SharedArrayBuffer ring per session (see
// terminal.mjs) and pokes the port. A running program that calls input() blocks here on
// Atomics.wait, which a worker may do, so it reads keys while its own thread is busy.
// Without cross-origin isolation there is no SharedArrayBuffer: keys then arrive as port
// messages and only the shell (not a running program) can read them.
// Ctrl+C: the page sets the shared interrupt byte to 2 (SIGINT) while a command runs;
// Python's signal check takes it and runs the SIGINT handler (client/core/late_interrupt.py),
// which raises KeyboardInterrupt in the program.

import { keepingFetch } from "./mirror-cache.mjs";
import { BOOT_PY } from "./runtime-boot-py.mjs";

const decoder = () => new TextDecoder("utf-8");
const LINE_BURST = 50; // lines sent at once in a burst, then about 200 a second
const LINES_PER_MS = 0.2;
const HEAD = 8; // two Int32 counters (written, read) before the ring's bytes

let pyodide = null;
let host = null;
let interrupt = null;
const sessions = new Map(); // sid -> {port, ring, queued, decoder, out, last, timer}

function ringOf(buffer) {
  if (!buffer) return null;
  return { head: new Int32Array(buffer, 0, 2), data: new Uint8Array(buffer, HEAD) };
}

function takeRing(session, timeoutMs) {
  const { head, data } = session.ring;
  let written = Atomics.load(head, 0);
  const read = Atomics.load(head, 1);
  if (written === read && timeoutMs > 0) {
    Atomics.wait(head, 0, written, timeoutMs);
    written = Atomics.load(head, 0);
  }
  if (written === read) return "";
  const size = data.length;
  const count = (written - read) | 0;
  const bytes = new Uint8Array(count);
  for (let i = 0; i < count; i++) bytes[i] = data[(((read + i) % size) + size) % size];
  Atomics.store(head, 1, written);
  session.port.postMessage({ drained: true }); // the page may have more waiting
  return session.decoder.decode(bytes, { stream: true });
}

function flush(session) {
  clearTimeout(session.timer);
  session.timer = 0;
  if (session.out) {
    session.port.postMessage({ out: session.out });
    session.out = "";
  }
  session.last = performance.now();
}

// Before each command the host asks the page for the editor's latest changes (they reach
// the worker on a 300 ms debounce): "settle" goes to the page, which writes what is
// pending and answers "settled". A page that never answers holds no command past 2 s.
const SETTLE_TIMEOUT_MS = 2000;
const settling = new Map(); // id -> resolve
let nextSettle = 1;

// time.sleep in the worker (runtime_host.Host.sleep) waits here, a slice at a time.
const sleeper = typeof SharedArrayBuffer !== "undefined" ? new Int32Array(new SharedArrayBuffer(4)) : null;
// While a command runs with the event loop free, or after a served app answered: the host
// looks for files written since its last scan (it paces itself; see scan_pacer.py).
const TICK_MS = 250;

// What the Python host calls (see runtime_host.py's docstring).
const bridge = {
  pause(seconds) {
    // Output is sent on a timer, which cannot fire while the thread sleeps: send it now.
    for (const session of sessions.values()) if (session.out) flush(session);
    const ms = Math.max(0, seconds * 1000);
    if (sleeper) Atomics.wait(sleeper, 0, 0, ms);
    else for (const end = performance.now() + ms; performance.now() < end; );
  },
  settle() {
    const id = nextSettle++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        settling.delete(id);
        resolve(false);
      }, SETTLE_TIMEOUT_MS);
      settling.set(id, () => {
        clearTimeout(timer);
        resolve(true);
      });
      postMessage({ op: "settle", id });
    });
  },
  write(sid, text) {
    const session = sessions.get(sid);
    if (!session) return;
    session.out += text;
    // A busy loop never returns to the event loop, so a timer alone would hold its output
    // back: send at least every 16 ms, or when a lot has piled up. A finished line goes at
    // once while the line budget lasts (as a tty shows it), so `print("working…")` before
    // a long computation shows; a flood of lines is batched instead of one message each.
    const now = performance.now();
    session.lines = Math.min(LINE_BURST, session.lines + (now - session.refilled) * LINES_PER_MS);
    session.refilled = now;
    if (now - session.last > 16 || session.out.length > 65536) flush(session);
    else if (session.lines >= 1 && text.includes("\n")) {
      session.lines -= 1;
      flush(session);
    } else if (!session.timer) session.timer = setTimeout(() => flush(session), 4);
  },
  read(sid, timeoutMs) {
    const session = sessions.get(sid);
    if (!session) return "";
    if (!session.ring) {
      const text = session.queued;
      session.queued = "";
      return text;
    }
    // A program waiting for a line has printed its prompt: show it before sleeping.
    if (timeoutMs > 0) flush(session);
    return takeRing(session, timeoutMs);
  },
  can_block() {
    return typeof SharedArrayBuffer !== "undefined" && crossOriginIsolated;
  },
  check_interrupt() {
    // Taken in one step, like Python's own check (see takenOnRead).
    return Boolean(interrupt) && Atomics.compareExchange(interrupt, 0, 2, 0) === 2;
  },
  state(sid, kind, value) {
    const session = sessions.get(sid);
    if (!session) return;
    flush(session); // output before the state that follows it
    session.port.postMessage({ state: kind, value });
    if (kind === "exit") {
      sessions.delete(sid);
      setTimeout(() => session.port.close(), 0);
    }
  },
  events(batch) {
    const list = batch.toJs();
    batch.destroy();
    const transfer = [];
    for (const item of list) if (item[2]) transfer.push(item[2].buffer);
    postMessage({ op: "events", batch: list }, transfer);
  },
};

// When each boot step ended, in ms since the epoch (any frame's clock can place them): sent
// with "ready", so the page's performance timeline shows where a slow boot spent its time.
const bootSteps = [];
function step(name, at = performance.timeOrigin + performance.now()) {
  bootSteps.push([name, at]);
}

// Python's signal check (CPython's emscripten_signal.c) reads the interrupt byte and then
// writes 0, two steps: a Ctrl+C the page wrote between them was wiped out, and the press
// was lost. It runs very often in a busy program (at every file flush, for one), so Python
// gets this view instead: reading takes the byte and clears it at once, writing 0 does
// nothing.
function takenOnRead(bytes) {
  return Object.defineProperty({}, "0", {
    get: () => Atomics.exchange(bytes, 0, 0),
    set: (value) => {
      if (value) Atomics.store(bytes, 0, value);
    },
  });
}

// micropip (for pip) is loaded once, after the prompt: pip awaits this same promise.
let micropipLoad = null;
function loadMicropip() {
  micropipLoad ||= pyodide.loadPackage("micropip", { messageCallback: () => {} })
    .then(() => step("worker-micropip"));
  return micropipLoad;
}

async function boot({ pyodideBase, clientZip, wheelhouse, mirror, npm, interruptBuffer }) {
  // pip's and npm's packages from the server's mirror are kept for offline use
  // (mirror-cache.mjs).
  if (mirror || npm) {
    globalThis.fetch = keepingFetch(globalThis.fetch.bind(globalThis), mirror || null, npm || null);
  }
  // boot.mjs restores an initialised interpreter stored on this (sandbox) origin, about a
  // second less to the prompt; the first boot here has a helper worker store one.
  const { loadPyodide } = await import(pyodideBase + "boot.mjs");
  step("worker-created", performance.timeOrigin);
  step("worker-loader");
  pyodide = await loadPyodide({ indexURL: pyodideBase }, { snapshotIfMissing: true });
  step("worker-interpreter");
  // Pyodide's own hook for a fatal error, which may happen in a task of its event loop
  // where no promise of ours would see it (a program's pump).
  if (pyodide._api) pyodide._api.on_fatal = (error) => crash(error);
  const archive = await fetch(clientZip);
  if (!archive.ok) throw new Error(`the client package did not load (HTTP ${archive.status})`);
  pyodide.unpackArchive(await archive.arrayBuffer(), "zip", { extractDir: "/opt/cospai" });
  step("worker-client");
  pyodide.FS.mkdirTree("/project");
  if (interruptBuffer) {
    interrupt = new Int8Array(interruptBuffer);
    pyodide.setInterruptBuffer(takenOnRead(interrupt));
  }
  const makeHost = await pyodide.runPythonAsync(BOOT_PY);
  host = makeHost(bridge, wheelhouse, mirror || null, npm || null, loadMicropip);
  makeHost.destroy();
  step("worker-host");
  pyodide.FS.chdir("/project");
  ticker = setInterval(() => {
    try {
      host.tick();
    } catch (error) {
      report(error);
    }
  }, TICK_MS);
}

// A fatal engine error (the browser's stack overflowed inside Python's C code, memory ran
// out) leaves this interpreter unusable: every later call says "Pyodide already fatally
// failed". Say so once, in plain words, and stop; the page starts a fresh engine.
let ticker = 0;
let crashed = false;

function isFatal(error) {
  return Boolean(error && (error.pyodide_fatal_error ||
    /fatally failed|Maximum call stack size exceeded|Out of memory|memory access out of bounds/i
      .test(String(error.message || error))));
}

// Programs' own output goes through the sessions' sys.stderr; what this worker's console
// gets is the engine's: on a fatal error, Pyodide's dump of the Python stack. Keep its
// tail so the crash message can say where in the project it happened.
const engineLines = [];
for (const level of ["error", "warn", "log"]) {
  const original = console[level].bind(console);
  console[level] = (...parts) => {
    engineLines.push(parts.map(String).join(" "));
    if (engineLines.length > 200) engineLines.shift();
    original(...parts);
  };
}

// The innermost frame of the project's own code in Pyodide's dump of the Python stack
// (most recent call first): `File "/project/a/b.py", line 5 in f` -> "a/b.py, line 5".
function projectFrame(lines) {
  const dump = lines.lastIndexOf("Stack (most recent call first):");
  if (dump < 0) return "";
  for (const line of lines.slice(dump + 1)) {
    const found = /^\s*File "\/project\/([^"]+)", line (\d+)/.exec(line);
    if (found) return `${found[1]}, line ${found[2]}`;
  }
  return "";
}

function plainReason(error) {
  const text = String((error && error.message) || error);
  if (/Maximum call stack size exceeded/i.test(text)) {
    // CPython would raise RecursionError; the browser's stack runs out first when the
    // recursion is inside C code (pyodide/pyodide#5959), which no Python code can catch.
    const where = projectFrame(engineLines);
    return "a program recursed deeper than the browser's stack allows" +
      (where ? `, at ${where}` : "") + " (deep recursion inside Python's C code, such as " +
      "comparing lists that contain themselves; CPython would raise RecursionError)";
  }
  if (/Out of memory|Cannot enlarge memory|memory access out of bounds/i.test(text)) {
    return "a program used more memory than the browser gives this runtime";
  }
  return "the Python engine failed: " + text.split("\n")[0].slice(0, 200);
}

function crash(error) {
  if (crashed) return;
  crashed = true;
  clearInterval(ticker);
  for (const session of sessions.values()) {
    try {
      flush(session);
    } catch {
      // the port may be gone with its page
    }
  }
  postMessage({ op: "crashed", reason: plainReason(error) });
}

function toPython(value) {
  // Objects, arrays and byte arrays become dicts, lists and memoryviews.
  if (value && typeof value === "object") return pyodide.toPy(value);
  return value;
}

function fromPython(value) {
  if (value && typeof value.toJs === "function") {
    const plain = value.toJs({ dict_converter: Object.fromEntries });
    value.destroy();
    return plain;
  }
  return value;
}

async function call(method, args) {
  const fn = host[method];
  try {
    return fromPython(await fn(...args.map(toPython)));
  } finally {
    fn.destroy();
  }
}

function open(message) {
  const session = {
    port: message.port,
    ring: ringOf(message.stdin),
    queued: "",
    decoder: decoder(),
    out: "",
    last: 0,
    timer: 0,
    lines: LINE_BURST, // finished lines that may still be sent at once (see bridge.write)
    refilled: 0,
  };
  sessions.set(message.sid, session);
  session.port.onmessage = ({ data }) => {
    if (data.resize) {
      const [cols, rows] = data.resize;
      pumping = pumping.then(() => call("resize", [message.sid, cols, rows])).catch(report);
      return;
    }
    if (data.data !== undefined) session.queued += data.data; // no SharedArrayBuffer
    if (data.data !== undefined || data.wake) pump(message.sid);
  };
  const o = message.options;
  return call("open", [message.sid, o.interactive, o.line, o.cols, o.rows, o.cwd, o.env, o.history]);
}

let pumping = Promise.resolve();
function pump(sid) {
  // One pump at a time per worker: input handled in arrival order.
  pumping = pumping.then(() => call("pump", [sid])).catch(report);
}

function report(error) {
  if (isFatal(error)) {
    crash(error);
    return;
  }
  postMessage({ op: "error", message: String(error && error.message ? error.message : error) });
}

self.onmessage = async ({ data }) => {
  if (data.op === "boot") {
    postMessage({ op: "status", state: "booting", reason: "starting Python in a worker" });
    try {
      await boot(data);
      postMessage({ op: "status", state: "ready", reason: "", steps: bootSteps });
      // pip's package manager, now the prompt is up; a failure reaches pip's await of it.
      loadMicropip().catch((error) => console.warn("[cospai] micropip did not load:", error));
    } catch (error) {
      postMessage({ op: "status", state: "failed", reason: String(error.message || error) });
    }
  } else if (data.op === "settled") {
    const done = settling.get(data.id);
    settling.delete(data.id);
    if (done) done();
  } else if (data.op === "open") {
    open(data).catch(report);
  } else if (data.op === "call") {
    if (crashed) {
      postMessage({ op: "reply", id: data.id, ok: false, error: "the runtime crashed" });
      return;
    }
    try {
      const value = await call(data.method, data.args);
      postMessage({ op: "reply", id: data.id, ok: true, value });
    } catch (error) {
      if (isFatal(error)) crash(error);
      const message = String(error.message || error).trim().split("\n").pop();
      postMessage({ op: "reply", id: data.id, ok: false, error: message });
    }
  }
};
