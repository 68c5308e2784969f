// The package mirror's answers, kept on the sandbox origin so that what pip or npm
// installed once installs again offline. Runs in the runtime worker (runtime-worker.mjs),
// which wraps its own fetch with it before Python starts, so micropip's and npm's fetches
// pass through here:
// - files (/pypi/files/..., named by their content's hash on the project page, and npm
//   tarballs /npm/<name>/-/<file>.tgz, one per published version, never changed): from the
//   cache first, else the network, kept when they arrive whole;
// - project pages (/pypi/simple/<name>/) and packuments (/npm/<name>): the network first
//   (new versions), the kept copy when the network fails or the mirror cannot answer (5xx).
// Kept in the sandbox's Cache Storage under its own name: the service worker's clean-up of
// older builds' caches (service_worker/sandbox/sw.js, "cospai-sandbox-<build>") leaves it
// alone, since packages do not change with the IDE's build.
//
// The service worker cannot do this job: it starts controlling pages after the first
// visit's runtime has booted, so the worker of that first visit (where the first install
// happens) would pass it by.

export const MIRROR_CACHE = "cospai-mirror-pypi";
export const NPM_CACHE = "cospai-mirror-npm";

function urlOf(input) {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return input && typeof input.url === "string" ? input.url : "";
}

async function keep(name, url, response) {
  try {
    const cache = await caches.open(name);
    await cache.put(url, response);
  } catch (error) {
    console.warn("[cospai] a package could not be kept for offline use:", error);
  }
}

async function kept(name, url) {
  try {
    const cache = await caches.open(name);
    return (await cache.match(url, { ignoreVary: true, ignoreSearch: true })) || null;
  } catch {
    return null;
  }
}

async function file(name, fetcher, url, input, init) {
  const found = await kept(name, url);
  if (found) return found;
  const response = await fetcher(input, init);
  // Kept in the background: the installer has the bytes without waiting for the disk.
  if (response.ok) keep(name, url, response.clone());
  return response;
}

async function page(name, fetcher, url, input, init) {
  let response;
  try {
    response = await fetcher(input, init);
  } catch (error) {
    const found = await kept(name, url);
    if (found) return found;
    throw error;
  }
  if (response.ok) keep(name, url, response.clone());
  else if (response.status >= 500) return (await kept(name, url)) || response;
  return response;
}

// A fetch that keeps the mirror's answers: `pypiIndex` is its PyPI simple index's absolute
// URL (…/pypi/simple), `npmRegistry` its npm registry's (…/npm/); either may be null.
// Everything else goes to `fetcher` untouched.
export function keepingFetch(fetcher, pypiIndex, npmRegistry = null) {
  const pypi = pypiIndex ? new URL("..", pypiIndex.replace(/\/*$/, "/")).href : null; // …/pypi/
  const npm = npmRegistry ? npmRegistry.replace(/\/*$/, "/") : null;
  return (input, init) => {
    const url = urlOf(input);
    const method = ((init && init.method) || (input && input.method) || "GET").toUpperCase();
    if (method !== "GET" || typeof caches === "undefined") return fetcher(input, init);
    if (pypi && url.startsWith(pypi + "files/")) return file(MIRROR_CACHE, fetcher, url, input, init);
    if (pypi && url.startsWith(pypi + "simple/")) return page(MIRROR_CACHE, fetcher, url, input, init);
    if (npm && url.startsWith(npm)) {
      const rest = url.slice(npm.length);
      const tarball = rest.includes("/-/") && /\.tgz$/.test(rest.split("?")[0]);
      return (tarball ? file : page)(NPM_CACHE, fetcher, url, input, init);
    }
    return fetcher(input, init);
  };
}
