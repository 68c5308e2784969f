// The app origin's service worker: the IDE loads with the network off after one visit.
// build.py writes dist/sw.js from routes.js and this file, with the build id (and the
// isolation headers, ISOLATION) filled in, so every build is a new worker: the browser
// installs it beside the old one, the open page offers a reload
// (service_worker/register.mjs), and no page ever mixes two builds' files.
//
// install   precache every file the build manifest lists (routes.js precacheList) into a
//           cache named after the build id; an asset group whose hashed path an older
//           build's cache already holds is copied from there instead of downloaded
// activate  delete the caches of older builds of this scope
// fetch     assets cache first; the shell, app routes and config network first, cached
//           copy offline; /api and everything else untouched (never cached)
/* global BUILD_ID, STATIC_ONLY, ISOLATION, routeFor, cacheKeyFor, precacheList, cacheName, cachePrefix, wantsReset */

const SCOPE = self.registration.scope;
const CACHE = cacheName(SCOPE, BUILD_ID);
const PARALLEL = 6;
// A network that neither answers nor fails (a captive portal, a dead Wi-Fi) must not
// keep the IDE from loading from its cache.
const NETWORK_TIMEOUT_MS = 5000;
// Checked against the manifest: a file fetched while a newer build was being swapped in
// must not end up in this build's cache.
const UNVERSIONED = ["index.html", "pyscript.json"];

// A static host may not send the isolation headers (build.py --static-only): the worker
// adds them (ISOLATION, which build.py writes from contract/isolation.py), so the page is
// cross-origin isolated from its second load on.
function isolated(response) {
  if (!STATIC_ONLY || response.type === "opaque" || response.status === 0) return response;
  if (response.headers.has("cross-origin-embedder-policy")) return response;  // the host did
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText,
                                       headers });
}

async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function fromOlderCache(olderCaches, url) {
  for (const older of olderCaches) {
    const hit = await older.match(url, { ignoreVary: true });
    if (hit) return hit;
  }
  return null;
}

async function precache() {
  const manifestUrl = new URL("manifest.json", SCOPE).href;
  const response = await fetch(manifestUrl, { cache: "no-cache" });
  if (!response.ok) throw new Error(`manifest.json answered ${response.status}`);
  const manifest = await response.clone().json();
  if (manifest.build_id !== BUILD_ID) {
    // dist/ was swapped between this script and its manifest: fail, the browser retries.
    throw new Error(`manifest is build ${manifest.build_id}, this worker is ${BUILD_ID}`);
  }
  const cache = await caches.open(CACHE);
  await cache.put(manifestUrl, response);
  const prefix = cachePrefix(SCOPE);
  const olderCaches = [];
  for (const name of await caches.keys()) {
    if (name.startsWith(prefix) && name !== CACHE) olderCaches.push(await caches.open(name));
  }
  const queue = precacheList(manifest).filter((name) => name !== "manifest.json");
  const worker = async () => {
    while (queue.length) {
      const name = queue.shift();
      const url = new URL(name, SCOPE).href;
      if (await cache.match(url, { ignoreVary: true })) continue;  // an earlier install try
      const versioned = !UNVERSIONED.includes(name);
      const kept = versioned && (await fromOlderCache(olderCaches, url));
      if (kept) {
        await cache.put(url, kept);
        continue;
      }
      // Hashed assets may come from the HTTP cache (the page has just loaded most of
      // them); the unversioned files are revalidated.
      const fetched = await fetch(url, { cache: versioned ? "default" : "no-cache" });
      if (!fetched.ok) throw new Error(`${name} answered ${fetched.status}`);
      if (!versioned) {
        const digest = await sha256Hex(await fetched.clone().arrayBuffer());
        if (digest !== manifest.files[name].sha256) throw new Error(`${name} is from another build`);
      }
      await cache.put(url, fetched);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

self.addEventListener("install", (event) => {
  // A failed precache fails the install: a half-filled cache would break offline use
  // while looking ready. The old worker (if any) stays in charge.
  event.waitUntil(precache().catch(async (error) => {
    await caches.delete(CACHE);
    throw error;
  }));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const prefix = cachePrefix(SCOPE);
    for (const name of await caches.keys()) {
      if (name.startsWith(prefix) && name !== CACHE) await caches.delete(name);
    }
  })());
});

self.addEventListener("message", (event) => {
  const { type } = event.data || {};
  if (type === "build" && event.ports[0]) event.ports[0].postMessage({ build: BUILD_ID });
  else if (type === "skip-waiting") self.skipWaiting();
});

async function cached(key) {
  const cache = await caches.open(CACHE);
  return cache.match(key, { ignoreVary: true });
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
                 (error) => { clearTimeout(timer); reject(error); });
  });
}

async function assetFirstFromCache(request) {
  const hit = await cached(cacheKeyFor(request.url, SCOPE));
  return hit || fetch(request);
}

async function networkFirst(request, route) {
  // Never written to the cache: a newer build's shell must not land in this build's cache
  // (offline it would name assets this cache does not hold).
  const key = cacheKeyFor(request.url, SCOPE);
  try {
    const response = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
    // A static host knows no app routes (/p/<id>): the shell answers them.
    if (route === "shell" && response.status === 404) return (await cached(key)) || response;
    return response;
  } catch (error) {
    const hit = await cached(key);
    if (hit) return hit;
    throw error;
  }
}

async function reset(request) {
  // `?reset-sw=1` when this worker's own files are what is broken: go, and answer from
  // the network so the page that follows is clean (it finishes the reset itself).
  await self.registration.unregister();
  const prefix = cachePrefix(SCOPE);
  for (const name of await caches.keys()) if (name.startsWith(prefix)) await caches.delete(name);
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const route = routeFor(request.url, SCOPE);
  if (route === "network") return;
  if (request.mode === "navigate" && wantsReset(request.url)) {
    event.respondWith(reset(request));
  } else if (route === "asset") {
    event.respondWith(assetFirstFromCache(request).then(isolated));
  } else {
    event.respondWith(networkFirst(request, route).then(isolated));
  }
});
