// The package mirror's answers, kept on the sandbox origin so that what pip installed once
// installs again offline. Runs in the runtime worker (runtime-worker.mjs), which wraps its
// own fetch with it before Python starts, so micropip's fetches pass through here:
// - files (/pypi/files/..., named by their content's hash on the project page, never
//   changed): from the cache first, else the network, kept when they arrive whole;
// - project pages (/pypi/simple/<name>/): the network first (new versions), the kept copy
//   when the network fails or the mirror cannot answer (5xx).
// Kept in the sandbox's Cache Storage under its own name: the service worker's clean-up of
// older builds' caches (service_worker/sandbox/sw.js, "cospai-sandbox-<build>") leaves it
// alone, since packages do not change with the IDE's build.
//
// The service worker cannot do this job: it starts controlling pages after the first
// visit's runtime has booted, so the worker of that first visit (where the first install
// happens) would pass it by.

export const MIRROR_CACHE = "cospai-mirror-pypi";

function urlOf(input) {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return input && typeof input.url === "string" ? input.url : "";
}

async function keep(url, response) {
  try {
    const cache = await caches.open(MIRROR_CACHE);
    await cache.put(url, response);
  } catch (error) {
    console.warn("[cospai] a package could not be kept for offline use:", error);
  }
}

async function kept(url) {
  try {
    const cache = await caches.open(MIRROR_CACHE);
    return (await cache.match(url, { ignoreVary: true, ignoreSearch: true })) || null;
  } catch {
    return null;
  }
}

async function file(fetcher, url, input, init) {
  const found = await kept(url);
  if (found) return found;
  const response = await fetcher(input, init);
  if (response.ok) await keep(url, response.clone());
  return response;
}

async function page(fetcher, url, input, init) {
  let response;
  try {
    response = await fetcher(input, init);
  } catch (error) {
    const found = await kept(url);
    if (found) return found;
    throw error;
  }
  if (response.ok) await keep(url, response.clone());
  else if (response.status >= 500) return (await kept(url)) || response;
  return response;
}

// A fetch that keeps the mirror's PyPI answers: `pypiIndex` is its simple index's absolute
// URL (…/pypi/simple); everything else goes to `fetcher` untouched.
export function keepingFetch(fetcher, pypiIndex) {
  const base = new URL("..", pypiIndex.replace(/\/*$/, "/")).href; // …/pypi/
  const files = base + "files/";
  const pages = base + "simple/";
  return (input, init) => {
    const url = urlOf(input);
    const method = ((init && init.method) || (input && input.method) || "GET").toUpperCase();
    if (method !== "GET" || typeof caches === "undefined") return fetcher(input, init);
    if (url.startsWith(files)) return file(fetcher, url, input, init);
    if (url.startsWith(pages)) return page(fetcher, url, input, init);
    return fetcher(input, init);
  };
}
