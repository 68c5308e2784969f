"""What the workbench benchmark (bench/workbench.py) runs inside the page: a probe
installed before the page's own scripts that records when the first file became editable
and when the first tree rows appeared and times keystroke-to-paint, and the snippets that
read it, watch long tasks, scroll the tree and put a sync load on the page."""

from __future__ import annotations

TOUCH_EVERY_MS = 500  # the sync load's period

# Installed in every page before its own scripts: records when the first file became
# editable and when the first tree rows appeared, and measures keystroke-to-paint.
PROBE_JS = """(() => {
  const entry = %(entry)s, mark = %(mark)s;
  const B = window.__bench = { editable: null, editablePath: null, treeRows: null,
                               typing: false, keys: [], pushes: 0, ticks: 0 };
  const root = () => document.documentElement;
  const drawn = () => {
    const lines = document.querySelector('.monaco-editor .view-lines');
    return lines ? lines.textContent.replace(/\\u00a0/g, ' ') : '';
  };
  const editable = () => {
    const r = root();
    if (!r || !r.dataset.openFile || r.dataset.openKind !== 'text') return false;
    const input = document.querySelector(
      '.monaco-editor textarea, .monaco-editor .native-edit-context');
    if (!input || input.readOnly || input.getAttribute('aria-readonly') === 'true') return false;
    const text = drawn();
    return text.trim().length > 0 && (r.dataset.openFile !== entry || text.includes(mark));
  };
  const afterPaint = (fn) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => fn(performance.now());
    channel.port2.postMessage(0);
  });
  const check = () => {
    if (B.treeRows === null
        && document.querySelector('#file-tree .tree-row[data-path]:not([hidden])')) {
      B.treeRows = performance.now();
      afterPaint((t) => { B.treeRowsPainted = t; });
    }
    if (B.editable === null && editable()) {
      B.editable = performance.now();
      B.editablePath = root().dataset.openFile;
      afterPaint((t) => { B.editablePainted = t; });
    }
    if (B.treeRows !== null && B.editable !== null) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true,
                               characterData: true });
  window.addEventListener('keydown', (event) => {
    if (!B.typing || !event.isTrusted) return;  // the load's synthetic Ctrl+S is not timed
    const active = document.activeElement;
    const sample = { handler: performance.now(), created: event.timeStamp, painted: null,
                     inEditor: Boolean(active && active.closest('.monaco-editor')) };
    B.keys.push(sample);
    if (B.marks) performance.mark('bench:key');  // --trace: where each key is in the trace
    afterPaint((t) => {
      sample.painted = t;
      if (B.marks) performance.mark('bench:painted');
    });
  }, true);
})();"""

KEYS_PAINTED_JS = """(n) => new Promise((resolve) => {
  const poll = () => {
    const keys = window.__bench.keys;
    if (keys.length >= n && keys[n - 1].painted !== null) resolve(true);
    else setTimeout(poll, 2);
  };
  poll();
})"""

MARKS_JS = """() => {
  const m = (n) => { const e = performance.getEntriesByName('cospai:' + n)[0];
                     return e ? e.startTime : null; };
  const B = window.__bench;
  return { ready: m('ready'), tree: m('tree'), editable: B.editable,
           editablePainted: B.editablePainted ?? null, editablePath: B.editablePath,
           treeRows: B.treeRows, treeRowsPainted: B.treeRowsPainted ?? null,
           source: document.documentElement.dataset.projectSource };
}"""

LONG_TASKS_START_JS = """() => {
  const B = window.__bench;
  B.tasks = [];
  B.taskObserver = new PerformanceObserver((list) => B.tasks.push(...list.getEntries()));
  B.taskObserver.observe({ type: 'longtask', buffered: false });
}"""

LONG_TASKS_STOP_JS = """async () => {
  const B = window.__bench;
  await new Promise((r) => setTimeout(r, 100));  // entries arrive after their task
  B.taskObserver.disconnect();
  return { longest: Math.max(0, ...B.tasks.map((t) => t.duration)), count: B.tasks.length };
}"""

SCROLL_JS = """async (step) => {
  const list = document.getElementById('file-tree');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  list.scrollTop = 0;
  await frame(); await frame(); await frame();
  const tasks = [];
  const observer = new PerformanceObserver((l) => tasks.push(...l.getEntries()));
  observer.observe({ type: 'longtask', buffered: false });
  const frames = [];
  let last = await frame(), atEnd = 0;
  const started = last;
  while (atEnd < 3) {
    list.scrollTop += step;
    const now = await frame();
    frames.push(now - last);
    last = now;
    if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) atEnd += 1;
  }
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  const rows = [...list.querySelectorAll('.tree-row[data-path]:not([hidden])')];
  const top = (row) => parseFloat(row.style.top);
  const lastRow = rows.reduce((a, b) => (top(b) > top(a) ? b : a));
  const sorted = [...frames].sort((a, b) => a - b);
  return { frames: frames.length, seconds: (last - started) / 1000,
           longestFrame: sorted[sorted.length - 1],
           p95Frame: sorted[Math.floor(0.95 * (sorted.length - 1))],
           over50: frames.filter((f) => f > 50).length,
           longestTask: Math.max(0, ...tasks.map((t) => t.duration)), longTasks: tasks.length,
           scrollHeight: list.scrollHeight, lastRowPath: lastRow.getAttribute('data-path') };
}"""

LOAD_START_JS = """({ mode, line, exclude, perTick }) => {
  const B = window.__bench, debug = window.cospaiDebug;
  const root = document.documentElement;
  B.pushes = 0; B.ticks = 0; B.tickMs = [];
  B.pushWatch = new MutationObserver(() => {
    if (root.dataset.syncState === 'saving') B.pushes += 1;
  });
  B.pushWatch.observe(root, { attributes: true, attributeFilter: ['data-sync-state'] });
  const texts = JSON.parse(debug.files());
  const others = Object.keys(texts).filter((p) => p !== exclude).sort();
  let next = 0;
  B.load = setInterval(() => {
    const started = performance.now();
    if (mode === 'touchAll') {
      debug.touchAll(line);
    } else {
      for (let i = 0; i < perTick; i++) {
        const path = others[next++ % others.length];
        texts[path] += line;
        debug.write(path, texts[path]);
      }
    }
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 's', ctrlKey: true, bubbles: true }));
    B.tickMs.push(performance.now() - started);  // the tick's own synchronous part
    B.ticks += 1;
  }, EVERY_MS);
}""".replace("EVERY_MS", str(TOUCH_EVERY_MS))

LOAD_STOP_JS = """() => {
  const B = window.__bench;
  clearInterval(B.load);
  B.pushWatch.disconnect();
  return { ticks: B.ticks, pushes: B.pushes, tickMs: B.tickMs };
}"""
