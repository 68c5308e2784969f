// PyScript's interpreter module: Pyodide's loadPyodide, sped up by a memory snapshot.
// build.py places this file beside pyodide.mjs (PyScript derives indexURL from its URL).
//
// After the first boot in a browser, a worker boots a second Python and stores its
// initialised memory in the Cache API; later boots restore that (about 0.2 s) instead of
// initialising Python again (about 1 s on the main thread). The snapshot is taken in a
// worker because Pyodide's snapshot mode wraps `js` in a proxy that PyScript cannot use.
// The cache key is this file's URL, whose folder hash changes with every Pyodide build, so
// a snapshot never outlives the runtime that made it. Every failure here falls back to a
// normal boot: the snapshot is a speed-up, never a requirement.
import { loadPyodide as loadFresh, version } from "./pyodide.mjs";

export { version };

export const SNAPSHOT_CACHE = "cospai-python-snapshot";
const KEY = new URL("./python.snapshot", import.meta.url).href;

async function openCache() {
  try {
    return "caches" in globalThis ? await caches.open(SNAPSHOT_CACHE) : null;
  } catch {
    return null;  // storage blocked (some embeds, private modes): boot without a snapshot
  }
}

function snapshotLater() {
  const start = () => {
    const worker = new Worker(new URL("./snapshot-worker.mjs", import.meta.url), {
      type: "module",
      name: "cospai-python-snapshot",
    });
    worker.onmessage = ({ data }) => {
      if (data.ok) performance.mark("cospai:snapshot-saved", { detail: { bytes: data.size } });
      else console.warn("[cospai] no Python snapshot this time:", data.error);
      worker.terminate();
    };
    worker.onerror = () => worker.terminate();
  };
  // Let the page settle first; the worker's own work never touches the main thread.
  setTimeout(start, 1500);
}

// `snapshotIfMissing: false`: use a stored snapshot when there is one, never start a
// snapshot worker. (The runtime worker, alone on its sandbox origin, makes its own.)
export async function loadPyodide(options = {}, { snapshotIfMissing = true } = {}) {
  const cache = await openCache();
  const cached = cache && (await cache.match(KEY));
  if (cached) {
    try {
      const pyodide = await loadFresh({ ...options, _loadSnapshot: cached.arrayBuffer() });
      performance.mark("cospai:snapshot-restored");
      return pyodide;
    } catch (error) {
      console.warn("[cospai] the stored Python snapshot did not load; booting afresh:", error);
      await cache.delete(KEY);
    }
  }
  const pyodide = await loadFresh(options);
  if (cache && snapshotIfMissing) snapshotLater();
  return pyodide;
}
