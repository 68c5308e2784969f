// Boots a throwaway Python in snapshot mode and stores its memory for pyodide_boot.mjs.
// Placed beside pyodide.mjs by build.py as snapshot-worker.mjs.
import { loadPyodide } from "./pyodide.mjs";

const CACHE = "cospai-python-snapshot";
const KEY = new URL("./python.snapshot", import.meta.url).href;

try {
  const pyodide = await loadPyodide({ _makeSnapshot: true });
  const bytes = pyodide.makeMemorySnapshot();
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    if (request.url !== KEY) await cache.delete(request);  // snapshots of older builds
  }
  await cache.put(KEY, new Response(bytes, { headers: { "content-type": "application/octet-stream" } }));
  postMessage({ ok: true, size: bytes.length });
} catch (error) {
  postMessage({ ok: false, error: String(error) });
}
