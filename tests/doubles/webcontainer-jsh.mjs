// The WebContainer double's `jsh` (tests/doubles/webcontainer.mjs): a tiny shell over the
// in-memory files, with `npm start` / `npm run NAME` and `serve [dir]`, which serves a
// folder and emits `port` and `server-ready` as the real service does.

const decoder = new TextDecoder();

// forwardPreviewErrors: the service reports a preview's uncaught errors as `preview-message`
// events; here the page posts them to the container's page, which emits the event.
const ERROR_SCRIPT = `<script>addEventListener("error", (e) => parent.postMessage({ doublePreviewError: {
  type: "PREVIEW_UNCAUGHT_EXCEPTION", message: String(e.message), stack: String(e.error && e.error.stack || "") } }, "*"));</script>`;


function words(line, env) {
  // Words with '...' and "..." quotes, \ escapes and $VAR; ;, &&, ||, >, >> as operators.
  const out = [];
  let word = null;
  let i = 0;
  const push = () => {
    if (word !== null) out.push(word);
    word = null;
  };
  const variable = () => {
    const match = /^\$(\w+|\?)/.exec(line.slice(i));
    if (!match) return "$";
    i += match[0].length - 1;
    return env[match[1]] ?? "";
  };
  for (; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? "") + line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    } else if (c === '"') {
      word = word ?? "";
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && i + 1 < line.length) word += line[++i];
        else if (line[i] === "$") word += variable();
        else word += line[i];
      }
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[++i];
    } else if (c === "$") {
      word = (word ?? "") + variable();
    } else if (" \t".includes(c)) {
      push();
    } else if (c === ";" || c === ">" || (c === "&" && line[i + 1] === "&") || (c === "|" && line[i + 1] === "|")) {
      push();
      const two = line.slice(i, i + 2);
      const op = ["&&", "||", ">>"].includes(two) ? two : c;
      i += op.length - 1;
      out.push({ op });
    } else {
      word = (word ?? "") + c;
    }
  }
  push();
  return out;
}

export class Jsh {
  constructor(container, command, args, options) {
    this.container = container;
    this.fs = container.fs.memory;
    this.command = command;
    this.args = args;
    this.cwd = options.cwd ? this.fs.resolve(options.cwd) : container.workdir;
    this.size = options.terminal ? { ...options.terminal } : { cols: 80, rows: 24 };
    this.env = { HOME: container.workdir, PATH: container.path, PWD: this.cwd, "?": "0",
                 ...Object.fromEntries(Object.entries(options.env || {}).map(([k, v]) => [k, String(v)])) };
    this.line = "";
    this.done = false;
    this.serving = null;
    let exited;
    this.exited = new Promise((resolve) => (exited = resolve));
    this.resolveExit = exited;
    const self = this;
    this.api = {
      output: new ReadableStream({ start: (controller) => (self.controller = controller) }),
      input: new WritableStream({ write: (chunk) => self.typed(String(chunk)) }),
      exit: this.exited,
      kill: () => self.finish(143),
      resize: ({ cols, rows }) => (self.size = { cols, rows }),
    };
  }

  out(text) {
    if (!this.done && text) this.controller.enqueue(text);
  }

  finish(code) {
    if (this.done) return;
    this.stopServing();
    this.done = true;
    this.controller.close();
    this.container._processes.delete(this);
    setTimeout(() => this.resolveExit(code), 0);
  }

  start() {
    const interactive = this.command === "jsh" && this.args.length === 0;
    setTimeout(() => {
      if (interactive) return this.prompt();
      const line = this.command === "jsh" && this.args[0] === "-c"
        ? this.args.slice(1).join(" ")
        : [this.command, ...this.args].map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(" ");
      const code = this.run(line);
      if (this.serving) return; // a server keeps its process alive until killed
      this.finish(code);
    }, 0);
  }

  prompt() {
    const where = this.cwd === this.container.workdir ? "~" : this.cwd.split("/").pop();
    this.out(`${where} ❯ `);
  }

  typed(text) {
    for (const c of text) {
      if (this.done) return;
      if (c === "\x03") {
        this.out("^C\r\n");
        this.line = "";
        this.stopServing();
        this.prompt();
      } else if (c === "\x04" && !this.line) {
        this.finish(0);
      } else if (c === "\r" || c === "\n") {
        this.out("\r\n");
        const line = this.line;
        this.line = "";
        if (this.serving) continue; // the server holds the terminal, as a foreground job
        const code = this.run(line);
        if (this.done) return;
        this.env["?"] = String(code);
        if (!this.serving) this.prompt();
      } else if (c === "\x7f") {
        if (this.line) {
          this.line = this.line.slice(0, -1);
          this.out("\b \b");
        }
      } else if (c >= " ") {
        this.line += c;
        this.out(c);
      }
    }
  }

  run(line) {
    const tokens = words(line, this.env);
    let code = 0;
    let skip = false;
    let command = [];
    const flush = (next) => {
      if (command.length && !skip) {
        code = this.simple(command);
        this.env["?"] = String(code);
      }
      command = [];
      skip = (next === "&&" && code !== 0) || (next === "||" && code === 0);
    };
    for (const token of tokens) {
      if (typeof token === "object" && ["&&", "||", ";"].includes(token.op)) flush(token.op);
      else command.push(token);
      if (this.done) return code;
    }
    flush(";");
    return code;
  }

  simple(tokens) {
    const argv = [];
    let redirect = null;
    for (let i = 0; i < tokens.length; i++) {
      if (typeof tokens[i] === "object") redirect = { append: tokens[i].op === ">>", path: tokens[++i] };
      else argv.push(tokens[i]);
    }
    let captured = "";
    const print = redirect ? (text) => (captured += text) : (text) => this.out(text);
    const code = this.builtin(argv, print, (text) => this.out(text));
    if (redirect) {
      try {
        this.fs.write(this.fs.resolve(redirect.path, this.cwd), captured, redirect.append);
      } catch (error) {
        this.out(`jsh: ${error.code === "ENOENT" ? "no such file or directory" : error.message}: ${redirect.path}\n`);
        return 1;
      }
    }
    return code;
  }

  builtin(argv, print, error) {
    const [name, ...args] = argv;
    const path = (p) => this.fs.resolve(p, this.cwd);
    const flags = args.filter((a) => a.startsWith("-") && a.length > 1).join("");
    const operands = args.filter((a) => !(a.startsWith("-") && a.length > 1));
    const guard = (action) => {
      try {
        action();
        return 0;
      } catch (e) {
        error(`${name}: ${e.message}\n`);
        return 1;
      }
    };
    switch (name) {
      case undefined:
        return 0;
      case "true":
        return 0;
      case "false":
        return 1;
      case "echo":
        print(args.join(" ") + "\n");
        return 0;
      case "pwd":
        print(this.cwd + "\n");
        return 0;
      case "cd": {
        const target = path(operands[0] || this.env.HOME);
        const node = this.fs.lookup(target);
        if (!node || !node.dir) {
          error(`cd: no such file or directory: ${operands[0]}\n`);
          return 1;
        }
        this.cwd = this.env.PWD = target;
        return 0;
      }
      case "env":
        for (const [k, v] of Object.entries(this.env)) if (k !== "?") print(`${k}=${v}\n`);
        return 0;
      case "export":
        for (const pair of operands) {
          const [k, ...v] = pair.split("=");
          this.env[k] = v.join("=");
        }
        return 0;
      case "stty":
        if (operands[0] === "size") print(`${this.size.rows} ${this.size.cols}\n`);
        return 0;
      case "exit":
        this.finish(Number(operands[0] || 0));
        return Number(operands[0] || 0);
      case "cat": {
        let code = 0;
        for (const operand of operands) {
          try {
            print(decoder.decode(this.fs.read(path(operand))));
          } catch (e) {
            error(`cat: ${operand}: ${e.code === "EISDIR" ? "Is a directory" : "No such file or directory"}\n`);
            code = 1;
          }
        }
        return code;
      }
      case "ls": {
        let code = 0;
        for (const operand of operands.length ? operands : ["."]) {
          const node = this.fs.lookup(path(operand));
          if (!node) {
            error(`ls: cannot access '${operand}': No such file or directory\n`);
            code = 2;
          } else if (node.dir) {
            const names = this.fs.list(path(operand)).map(([n]) => n).filter((n) => flags.includes("a") || !n.startsWith("."));
            if (names.length) print(names.join("  ") + "\n");
          } else {
            print(operand + "\n");
          }
        }
        return code;
      }
      case "touch":
        return guard(() => {
          for (const operand of operands) {
            const abs = path(operand);
            if (!this.fs.lookup(abs)) this.fs.write(abs, "");
          }
        });
      case "mkdir":
        return guard(() => operands.forEach((o) => this.fs.mkdirAbs(path(o), flags.includes("p"), o)));
      case "rm":
        return guard(() => operands.forEach((o) => this.fs.remove(path(o), /[rR]/.test(flags), flags.includes("f"), o)));
      case "mv":
        return guard(() => this.fs.move(path(operands[0]), path(operands[1]), operands[0], operands[1]));
      case "npm":
        if (operands[0] === "start") return this.script("start", error);
        if (operands[0] === "run" && operands[1]) return this.script(operands[1], error);
        return this.unknown(`npm ${operands[0] || ""}`.trim(), error);
      case "npx":
        return operands[0] === "serve" ? this.serve(operands[1] || ".", error) : this.unknown(name, error);
      case "serve":
        return this.serve(operands[0] || ".", error);
      default:
        return this.unknown(name, error);
    }
  }

  script(name, error) {
    // npm start / npm run NAME: the package.json script, run by the shell.
    let scripts;
    try {
      scripts = JSON.parse(decoder.decode(this.fs.read(this.fs.resolve("package.json", this.cwd)))).scripts || {};
    } catch {
      error("npm error code ENOENT\nnpm error Could not read package.json\n");
      return 254;
    }
    if (!(name in scripts)) {
      error(`npm error Missing script: "${name}"\n`);
      return 1;
    }
    this.out(`\n> ${name}\n> ${scripts[name]}\n\n`);
    return this.run(scripts[name]);
  }

  unknown(name, error) {
    error(`jsh: command not found: ${name}\n`);
    return 127;
  }

  serve(folder, error) {
    // A static server, as `npx serve` would be: the folder's index.html as a page, the
    // preview script injected as the real service injects it.
    let html;
    try {
      html = decoder.decode(this.fs.read(this.fs.resolve(`${folder}/index.html`, this.cwd)));
    } catch {
      error(`serve: ${folder}/index.html: No such file or directory\n`);
      return 1;
    }
    const port = 3000;
    const script = (this.container._options.forwardPreviewErrors ? ERROR_SCRIPT : "") +
      (this.container._previewScript ? `<script>${this.container._previewScript}</script>` : "");
    const url = URL.createObjectURL(new Blob([script + html], { type: "text/html" }));
    this.serving = { port, url };
    this.out(`\n   Serving!  Local: http://localhost:${port}\n\n`);
    this.container._emit("port", port, "open", url);
    this.container._emit("server-ready", port, url);
    return 0;
  }

  stopServing() {
    if (!this.serving) return;
    const { port, url } = this.serving;
    this.serving = null;
    URL.revokeObjectURL(url);
    this.container._emit("port", port, "close", url);
  }
}
