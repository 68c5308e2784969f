// Terminals, on the page's side. No logic lives here, only the byte paths Python must stay
// out of (ARCHITECTURE rule 6): keystrokes go from xterm straight to the session (a port to
// the runtime's sandbox, client/glue/sandbox.mjs); output comes from it straight into
// xterm. Python creates terminals, starts and stops sessions, resizes, and hears about
// states (running, idle, exit) and file events, never about bytes typed or printed.

// ------------------------------------------------------------------ sessions

// A session: one program's byte path, which a terminal attaches to. Both engines make
// theirs here (sandbox.mjs over a port to the runtime, webcontainer.mjs over a process's
// streams); `controls` brings what differs: write, resize, close or kill, and any state
// of their own. Output that comes before a terminal attaches, or for a session no
// terminal shows (tools, tests), is kept and handed over on attach.
export function createSession(controls) {
  let sink = null; // the terminal showing this session, if any
  let output = "";
  return Object.assign(
    {
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
      // The engine's side: bytes the program printed.
      deliver(text) {
        if (sink) sink.write(text);
        else output += text;
      },
    },
    controls,
  );
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
