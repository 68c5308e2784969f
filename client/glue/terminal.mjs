// Terminals and the Pyodide engine's worker, on the page's side. No logic lives here, only
// the byte paths Python must stay out of (ARCHITECTURE rule 6): keystrokes go from xterm
// straight into the session's stdin ring and port; output comes from the port straight
// into xterm. Python creates terminals, starts and stops sessions, resizes, and hears
// about states (running, idle, exit) and file events, never about bytes typed or printed.

const RING = 1 << 16; // bytes of typed input a session can hold before the worker reads

// ------------------------------------------------------------------ the engine's worker

export function createEngine(workerUrl, onMessage) {
  const worker = new Worker(workerUrl, { type: "module", name: "cospai-runtime" });
  const waiting = new Map();
  let next = 1;
  worker.onmessage = ({ data }) => {
    if (data.op === "reply") {
      const pending = waiting.get(data.id);
      waiting.delete(data.id);
      if (data.ok) pending.resolve(data.value);
      else pending.reject(new Error(data.error));
    } else {
      onMessage(data);
    }
  };
  worker.onerror = (event) => {
    // A module worker that fails to load (missing file, blocked by COEP) says little.
    onMessage({ op: "status", state: "failed", reason: event.message || "the worker did not start" });
  };
  const isolated = typeof SharedArrayBuffer !== "undefined" && crossOriginIsolated;
  const interrupt = isolated ? new Int8Array(new SharedArrayBuffer(1)) : null;
  return {
    isolated,
    boot(pyodideBase, clientZip, wheelhouse) {
      const interruptBuffer = interrupt && interrupt.buffer;
      worker.postMessage({ op: "boot", pyodideBase, clientZip, wheelhouse, interruptBuffer });
    },
    call(method, args) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ op: "call", id, method, args });
      });
    },
    open(sid, options, onState) {
      return openSession(worker, interrupt, sid, options, onState);
    },
    settled(id) {
      worker.postMessage({ op: "settled", id });
    },
    terminate() {
      worker.terminate();
    },
  };
}

function openSession(worker, interrupt, sid, options, onState) {
  const channel = new MessageChannel();
  const stdin = interrupt ? new SharedArrayBuffer(8 + RING) : null;
  const head = stdin && new Int32Array(stdin, 0, 2);
  const ring = stdin && new Uint8Array(stdin, 8);
  const encoder = new TextEncoder();
  let pending = new Uint8Array(0); // typed but not yet in the ring (it was full)
  let sink = null; // the terminal showing this session, if any
  let output = ""; // kept for sessions no terminal shows (tools, tests)
  const session = {
    sid,
    running: false,
    exitCode: null,
    get output() {
      return output;
    },
    attach(terminal) {
      sink = terminal;
      if (output) terminal.write(output);
      output = "";
    },
    write(text) {
      // Ctrl+C while a command runs: interrupt the Python running it.
      if (interrupt && session.running && text.includes("\x03")) interrupt[0] = 2;
      if (!stdin) {
        channel.port1.postMessage({ data: text });
        return;
      }
      const bytes = encoder.encode(text);
      const joined = new Uint8Array(pending.length + bytes.length);
      joined.set(pending);
      joined.set(bytes, pending.length);
      pending = joined;
      fill();
      channel.port1.postMessage({ wake: true });
    },
    resize(cols, rows) {
      // On the session's own port, so the new size lands in order with what is typed.
      channel.port1.postMessage({ resize: [cols, rows] });
    },
    close() {
      channel.port1.close();
    },
  };
  function fill() {
    const written = Atomics.load(head, 0);
    const free = RING - ((written - Atomics.load(head, 1)) | 0);
    const count = Math.min(free, pending.length);
    for (let i = 0; i < count; i++) ring[(written + i) % RING] = pending[i];
    pending = pending.slice(count);
    Atomics.store(head, 0, (written + count) | 0);
    Atomics.notify(head, 0);
  }
  channel.port1.onmessage = ({ data }) => {
    if (data.out !== undefined) {
      if (sink) sink.write(data.out);
      else output += data.out;
    } else if (data.drained) {
      if (pending.length) fill();
    } else if (data.state !== undefined) {
      if (data.state === "running") session.running = true;
      if (data.state === "idle") session.running = false;
      if (data.state === "exit") {
        session.running = false;
        session.exitCode = data.value;
      }
      onState(data.state, data.value);
    }
  };
  worker.postMessage({ op: "open", sid, port: channel.port2, stdin, options }, [channel.port2]);
  return session;
}

// ------------------------------------------------------------------ xterm

const URL_PATTERN = /https?:\/\/[^\s"'<>`]+[^\s"'<>`.,;:!?)\]]/g;

export async function createTerminal(element, xtermBase, options) {
  const [{ Terminal }, { FitAddon }] = await Promise.all([
    import(xtermBase + "xterm.mjs"),
    import(xtermBase + "addon-fit.mjs"),
  ]);
  const term = new Terminal({
    convertEol: true, // programs print "\n"; a terminal needs "\r\n"
    scrollback: options.scrollback,
    fontSize: options.fontSize,
    fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    cursorBlink: true,
    allowProposedApi: false,
    theme: options.theme,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(element);
  // Clickable links without a vendored addon: a provider finding URLs on a line.
  term.registerLinkProvider({
    provideLinks(row, callback) {
      const line = term.buffer.active.getLine(row - 1);
      if (!line) return callback(undefined);
      const text = line.translateToString(true);
      const links = [];
      for (const match of text.matchAll(URL_PATTERN)) {
        const start = match.index + 1;
        links.push({
          text: match[0],
          range: { start: { x: start, y: row }, end: { x: start + match[0].length - 1, y: row } },
          activate: (_event, url) => window.open(url, "_blank", "noopener"),
        });
      }
      callback(links.length ? links : undefined);
    },
  });
  // Ctrl+Shift+C / Ctrl+Shift+V copy and paste, as in desktop terminals (Ctrl+C stays
  // the interrupt key); the browser's own copy and paste work too.
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== "keydown" || !event.ctrlKey || !event.shiftKey) return true;
    if (event.code === "KeyC" && term.hasSelection()) {
      navigator.clipboard.writeText(term.getSelection()).catch(() => {});
      return false;
    }
    // Ctrl+Shift+V is the browser's own "paste as plain text": its paste event reaches
    // xterm (and needs no clipboard permission). Reading the clipboard here as well pasted
    // twice; xterm only has to keep the key from becoming a control character.
    return event.code !== "KeyV";
  });
  let session = null;
  const typing = term.onData((data) => session && session.write(data));
  let resized = () => {};
  const sizes = term.onResize(({ cols, rows }) => resized(cols, rows));
  // Fit to the panel whenever it changes size; the new size goes to the process.
  let frame = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (element.offsetParent !== null) fit.fit();
    });
  });
  observer.observe(element);
  return {
    attach(newSession) {
      session = newSession;
      newSession.attach(term);
    },
    onResize(callback) {
      resized = callback;
    },
    size() {
      return { cols: term.cols, rows: term.rows };
    },
    fit() {
      if (element.offsetParent !== null) fit.fit();
      return { cols: term.cols, rows: term.rows };
    },
    write(text) {
      term.write(text);
    },
    clear() {
      term.clear();
    },
    focus() {
      term.focus();
    },
    setTheme(theme) {
      term.options.theme = theme;
    },
    text() {
      // What the screen and scrollback show, for tests and screen readers' fallbacks.
      const buffer = term.buffer.active;
      const lines = [];
      for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
      return lines.join("\n").replace(/\n+$/, "");
    },
    dispose() {
      observer.disconnect();
      typing.dispose();
      sizes.dispose();
      term.dispose();
    },
  };
}
