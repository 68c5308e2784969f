// The WebContainer engine's page side (client/adapters/webcontainer_engine.py decides;
// this only calls the API). A page may run one WebContainer, and booting one costs
// seconds: it boots once per page, and every engine made afterwards (another project
// opened, a switch back) gets the same container (the engine empties its folder). Offline, WebContainer.boot() never settles (its iframe comes from
// StackBlitz), so each wait for it is raced with a timeout. Bytes Python has no business
// with stay here (ARCHITECTURE rule 6): a process's output goes from its stream straight
// into xterm, keystrokes from xterm into its input.

import { createSession } from "./terminal.mjs";

let booting = null; // the one boot promise of this page (forgotten only if boot fails)

export async function boot(moduleUrl, options) {
  if (!globalThis.crossOriginIsolated) {
    throw new Error("this page is not cross-origin isolated, which WebContainer needs");
  }
  const api = await import(moduleUrl);
  if (!booting) {
    if (options.apiKey) api.configureAPIKey(options.apiKey);
    const started = api.WebContainer.boot({
      coep: "require-corp",
      workdirName: "project",
      forwardPreviewErrors: true,
    });
    booting = started;
    started.catch(() => {
      if (booting === started) booting = null;
    });
  }
  let timer = 0;
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  const late = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the WebContainer service did not answer within ${seconds} s`)),
      options.timeoutMs,
    );
  });
  try {
    return wrap(await Promise.race([booting, late]));
  } finally {
    clearTimeout(timer);
  }
}

// Node's error codes travel in the message, where Python reads them (container_fs.py).
function plain(error) {
  const message = String((error && error.message) || error);
  const code = error && error.code;
  return new Error(code && !message.includes(code) ? `${code}: ${message}` : message);
}

async function fsCall(action) {
  try {
    return await action();
  } catch (error) {
    throw plain(error);
  }
}

function parentOf(path) {
  const cut = path.lastIndexOf("/");
  return cut > 0 ? path.slice(0, cut) : "";
}

function wrap(container) {
  const fs = container.fs;
  return {
    workdir: container.workdir,
    // mount() and writeFile() detach the buffers they are given: hand them copies.
    mount: (tree) => fsCall(() => container.mount(copyTree(tree))),
    readFile: (path) => fsCall(() => fs.readFile(path)),
    // Many watched paths read back at once, in one crossing to Python: [path, bytes] for a
    // file, [path, null, "ENOENT: ..."] for what could not be read.
    readMany: (paths) =>
      Promise.all(
        paths.map((path) =>
          fs.readFile(path).then(
            (data) => [path, data],
            (error) => [path, null, plain(error).message],
          ),
        ),
      ),
    async writeFile(path, data) {
      const parent = parentOf(path);
      if (parent) await fsCall(() => fs.mkdir(parent, { recursive: true }));
      await fsCall(() => fs.writeFile(path, typeof data === "string" ? data : data.slice()));
    },
    async readdir(path) {
      const entries = await fsCall(() => fs.readdir(path || ".", { withFileTypes: true }));
      return entries.map((entry) => [entry.name, entry.isDirectory()]);
    },
    mkdir: (path, recursive) => fsCall(() => fs.mkdir(path, { recursive: Boolean(recursive) })),
    rm: (path, recursive, force) =>
      fsCall(() => fs.rm(path, { recursive: Boolean(recursive), force: Boolean(force) })),
    rename: (from, to) => fsCall(() => fs.rename(from, to)),
    watch(onBatch) {
      // Events arrive one per file; Python hears them in batches of distinct names.
      const names = new Set();
      let timer = 0;
      const decoder = new TextDecoder();
      const watcher = fs.watch(".", { recursive: true }, (_event, name) => {
        names.add(typeof name === "string" ? name : decoder.decode(name));
        if (!timer) {
          timer = setTimeout(() => {
            timer = 0;
            const batch = [...names];
            names.clear();
            onBatch(batch);
          }, 30);
        }
      });
      return () => {
        clearTimeout(timer);
        watcher.close();
      };
    },
    spawn: (command, args, options, onState) => spawn(container, command, args, options, onState),
    on(event, listener) {
      if (event === "error") return container.on("error", (error) => listener(String(error.message)));
      if (event === "preview-message") {
        return container.on("preview-message", (message) =>
          listener({
            type: String(message.type),
            message: String(message.message || (message.args || []).join(" ")),
            stack: String(message.stack || ""),
          }),
        );
      }
      return container.on(event, listener); // server-ready (port, url), port (port, type, url)
    },
    setPreviewScript: (source) => container.setPreviewScript(source),
    // No teardown: the container stays for the next engine of this page. The engine that
    // lets go has killed its processes, closed its watcher and dropped its listeners.
  };
}

function copyTree(tree) {
  const out = {};
  for (const [name, node] of Object.entries(tree)) {
    if (node.directory) out[name] = { directory: copyTree(node.directory) };
    else out[name] = { file: { contents: node.file.contents.slice() } };
  }
  return out;
}

async function spawn(container, command, args, options, onState) {
  const process = await container.spawn(command, args, {
    cwd: options.cwd || undefined,
    env: options.env,
    terminal: { cols: options.cols, rows: options.rows },
  });
  const input = process.input.getWriter();
  const session = createSession({
    running: true,
    write(text) {
      input.write(text).catch(() => {}); // typed after the end: nobody reads it
    },
    resize(cols, rows) {
      process.resize({ cols, rows });
    },
    kill() {
      process.kill();
    },
  });
  const piped = process.output
    .pipeTo(new WritableStream({ write: (chunk) => session.deliver(chunk) }))
    .catch(() => {});
  process.exit.then(async (code) => {
    // The last output may still be in the pipe; a stream that never closes waits no longer.
    await Promise.race([piped, new Promise((resolve) => setTimeout(resolve, 200))]);
    session.running = false;
    session.exitCode = code;
    try {
      onState("exit", code);
    } catch (_) {
      // the engine was torn down first: nobody is listening any more
    }
  });
  return session;
}

// The preview's console.log & co. reach the IDE as messages from its frame; the script
// below is what setPreviewScript() puts into every preview page.
export const PREVIEW_SCRIPT = `(() => {
  for (const level of ["log", "info", "warn", "debug"]) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      try {
        const text = args.map((a) => typeof a === "string" ? a : JSON.stringify(a)).join(" ");
        parent.postMessage({ cospaiConsole: { level, text } }, "*");
      } catch (_) {}
      original(...args);
    };
  }
})();`;

export function listenConsole(frame, listener) {
  const heard = (event) => {
    const data = event.data && event.data.cospaiConsole;
    if (data && event.source === frame.contentWindow) listener(String(data.level), String(data.text));
  };
  addEventListener("message", heard);
  return () => removeEventListener("message", heard);
}
