// The WebContainer double's file system (tests/doubles/webcontainer.mjs): files in memory
// under the workdir, with Node's error codes and messages, and `fs.watch` events that come
// later, as Node's do, with names relative to the watched folder.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function fsError(code, syscall, path) {
  const text = {
    ENOENT: "no such file or directory",
    EEXIST: "file already exists",
    ENOTDIR: "not a directory",
    EISDIR: "illegal operation on a directory",
    ENOTEMPTY: "directory not empty",
  }[code];
  const error = new Error(`${code}: ${text}, ${syscall} '${path}'`);
  error.code = code;
  return error;
}

export function detach(bytes) {
  const copy = bytes.slice();
  if (bytes.buffer.transfer) bytes.buffer.transfer(); // as the real API: the caller's view empties
  return copy;
}

export class MemoryFs {
  constructor(workdir, onEvent) {
    this.workdir = workdir;
    this.root = { dir: new Map() };
    this.onEvent = onEvent; // (kind, absolute path)
    this.mkdirAbs(workdir, true);
  }

  resolve(path, cwd = this.workdir) {
    const parts = (String(path).startsWith("/") ? "" : cwd + "/") + path;
    const out = [];
    for (const part of parts.split("/")) {
      if (!part || part === ".") continue;
      if (part === "..") out.pop();
      else out.push(part);
    }
    return "/" + out.join("/");
  }

  lookup(abs) {
    let node = this.root;
    for (const part of abs.split("/").filter(Boolean)) {
      if (!node.dir) return null;
      node = node.dir.get(part);
      if (!node) return null;
    }
    return node;
  }

  parentOf(abs, syscall, original) {
    const cut = abs.lastIndexOf("/");
    const parent = this.lookup(abs.slice(0, cut) || "/");
    if (!parent) throw fsError("ENOENT", syscall, original);
    if (!parent.dir) throw fsError("ENOTDIR", syscall, original);
    return [parent, abs.slice(cut + 1)];
  }

  read(abs, original = abs) {
    const node = this.lookup(abs);
    if (!node) throw fsError("ENOENT", "open", original);
    if (node.dir) throw fsError("EISDIR", "read", original);
    return node.data;
  }

  write(abs, data, append = false, original = abs) {
    const [parent, name] = this.parentOf(abs, "open", original);
    const existing = parent.dir.get(name);
    if (existing && existing.dir) throw fsError("EISDIR", "open", original);
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (existing) {
      existing.data = append ? concat(existing.data, bytes) : bytes;
      this.onEvent("change", abs);
    } else {
      parent.dir.set(name, { data: bytes });
      this.onEvent("rename", abs);
      this.onEvent("change", abs);
    }
  }

  mkdirAbs(abs, recursive, original = abs) {
    const node = this.lookup(abs);
    if (node) {
      if (recursive && node.dir) return;
      throw fsError("EEXIST", "mkdir", original);
    }
    if (recursive) {
      const cut = abs.lastIndexOf("/");
      if (cut > 0) this.mkdirAbs(abs.slice(0, cut), true);
    }
    const [parent, name] = this.parentOf(abs, "mkdir", original);
    parent.dir.set(name, { dir: new Map() });
    this.onEvent("rename", abs);
  }

  remove(abs, recursive, force, original = abs) {
    const node = this.lookup(abs);
    if (!node) {
      if (force) return;
      throw fsError("ENOENT", "rm", original);
    }
    if (node.dir && !recursive) {
      const error = new Error(`Path is a directory: rm returned EISDIR (is a directory) ${original}`);
      error.code = "ERR_FS_EISDIR";
      throw error;
    }
    this.removeNode(abs, node);
  }

  removeNode(abs, node) {
    if (node.dir) for (const [name, child] of node.dir) this.removeNode(`${abs}/${name}`, child);
    const [parent, name] = this.parentOf(abs, "rm", abs);
    parent.dir.delete(name);
    this.onEvent("rename", abs);
  }

  move(from, to, originalFrom, originalTo) {
    const node = this.lookup(from);
    if (!node) throw fsError("ENOENT", "rename", originalFrom);
    const [target, name] = this.parentOf(to, "rename", originalTo);
    const [source, oldName] = this.parentOf(from, "rename", originalFrom);
    source.dir.delete(oldName);
    target.dir.set(name, node);
    this.onEvent("rename", from);
    this.onEvent("rename", to);
  }

  list(abs, original = abs) {
    const node = this.lookup(abs);
    if (!node) throw fsError("ENOENT", "scandir", original);
    if (!node.dir) throw fsError("ENOTDIR", "scandir", original);
    return [...node.dir.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function dirent(name, node) {
  return { name, isFile: () => !node.dir, isDirectory: () => Boolean(node.dir) };
}

export class FileSystemAPI {
  constructor(memory) {
    this.memory = memory;
    this.watchers = new Set();
  }

  async readFile(path, encoding) {
    const data = this.memory.read(this.memory.resolve(path), path);
    return encoding ? decoder.decode(data) : data.slice();
  }

  async writeFile(path, data) {
    const bytes = typeof data === "string" ? encoder.encode(data) : detach(data);
    this.memory.write(this.memory.resolve(path), bytes, false, path);
  }

  async readdir(path, options) {
    const entries = this.memory.list(this.memory.resolve(path), path);
    if (options && options.withFileTypes) return entries.map(([name, node]) => dirent(name, node));
    return entries.map(([name]) => name);
  }

  async mkdir(path, options) {
    const abs = this.memory.resolve(path);
    this.memory.mkdirAbs(abs, Boolean(options && options.recursive), path);
    return options && options.recursive ? abs : undefined;
  }

  async rm(path, options = {}) {
    this.memory.remove(this.memory.resolve(path), options.recursive, options.force, path);
  }

  async rename(from, to) {
    this.memory.move(this.memory.resolve(from), this.memory.resolve(to), from, to);
  }

  watch(path, options, listener) {
    if (typeof options === "function") [options, listener] = [{}, options];
    const base = this.memory.resolve(path);
    const watcher = { base, recursive: Boolean(options && options.recursive), listener };
    this.watchers.add(watcher);
    return { close: () => this.watchers.delete(watcher) };
  }

  notify(kind, abs) {
    for (const watcher of this.watchers) {
      if (!abs.startsWith(watcher.base + "/")) continue;
      const name = abs.slice(watcher.base.length + 1);
      if (!watcher.recursive && name.includes("/")) continue;
      setTimeout(() => this.watchers.has(watcher) && watcher.listener(kind, name), 0);
    }
  }
}
