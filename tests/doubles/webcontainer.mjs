// A test double of @webcontainer/api 1.6 (the surface client/glue/webcontainer.mjs uses),
// for tests only: e2e fixtures serve it in place of the vendored module (page.route), so
// the real bridge runs end to end in Chromium where StackBlitz cannot be reached. It is
// never built into dist/.
//
// Faithful where the bridge could go wrong: one instance per page; paths relative to the
// workdir (/home/<workdirName>); Node's error codes and messages; mount() and writeFile()
// detach the buffers they are given; fs.watch reports Node's `rename`/`change` with names
// relative to the watched folder, later (not inside the call); `output` is the merged
// stream of strings; `exit` settles after the output closed. Its `jsh` is a tiny shell over
// the in-memory files: echo, cat, ls, pwd, cd, touch, mkdir, rm, mv, env, stty size, true,
// false, exit, `npm start` / `npm run NAME` (the package.json script), and `serve [dir]`
// (npx serve alike), which serves a folder and emits `port` and `server-ready` with a URL
// the preview iframe can load.
//
// The file system is in webcontainer-fs.mjs, the shell in webcontainer-jsh.mjs; the e2e
// fixture serves all three in place of the vendored module (tests/support/webcontainer_double.py).

import { detach, FileSystemAPI, MemoryFs } from "./webcontainer-fs.mjs";
import { Jsh } from "./webcontainer-jsh.mjs";

let instance = null;
let apiKey = null;

export function configureAPIKey(key) {
  if (instance) throw new Error("`configureAPIKey` should be called before `WebContainer.boot`");
  apiKey = key;
}

export const auth = { init: () => ({ status: "authorized" }), on: () => () => {}, logout() {} };

// What tests may check about how the bridge booted it.
globalThis.webcontainerDouble = { boots: 0, apiKey: null, options: null };

export class WebContainer {
  static async boot(options = {}) {
    if (instance) throw new Error("Unable to create more instances");
    Object.assign(globalThis.webcontainerDouble, {
      boots: globalThis.webcontainerDouble.boots + 1, apiKey, options: { ...options } });
    instance = new WebContainer(options);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return instance;
  }

  constructor(options) {
    this._workdir = `/home/${options.workdirName || "project"}`;
    this._listeners = new Map();
    this._processes = new Set();
    this._previewScript = "";
    this._options = options;
    this.apiKey = apiKey;
    this.fs = new FileSystemAPI(new MemoryFs(this._workdir, (kind, abs) => this.fs && this.fs.notify(kind, abs)));
  }

  get workdir() {
    return this._workdir;
  }

  get path() {
    return "/usr/local/bin:/usr/bin:/bin";
  }

  async mount(tree, options = {}) {
    const memory = this.fs.memory;
    const base = memory.resolve(options.mountPoint || ".");
    const put = (folder, nodes) => {
      for (const [name, node] of Object.entries(nodes)) {
        const abs = `${folder}/${name}`;
        if (node.directory) {
          memory.mkdirAbs(abs, true);
          put(abs, node.directory);
        } else {
          const contents = node.file.contents;
          memory.write(abs, typeof contents === "string" ? contents : detach(contents));
        }
      }
    };
    put(base, tree);
  }

  on(event, listener) {
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(listener);
    return () => this._listeners.get(event).delete(listener);
  }

  _emit(event, ...args) {
    for (const listener of this._listeners.get(event) || []) listener(...args);
  }

  async setPreviewScript(source) {
    this._previewScript = String(source);
  }

  async spawn(command, args = [], options = {}) {
    if (!Array.isArray(args)) [options, args] = [args, []];
    const process = new Jsh(this, command, args, options);
    this._processes.add(process);
    process.start();
    return process.api;
  }

  teardown() {
    for (const process of this._processes) process.finish(143);
    this._processes.clear();
    this._listeners.clear();
    this.fs.watchers.clear();
    if (instance === this) instance = null;
  }
}

// forwardPreviewErrors: a preview page posts its uncaught errors here (the script jsh's
// `serve` puts into it), and the container emits them as `preview-message` events.
addEventListener("message", (event) => {
  const error = event.data && event.data.doublePreviewError;
  if (error && instance) instance._emit("preview-message", { ...error, port: 3000, pathname: "/", search: "", hash: "" });
});
