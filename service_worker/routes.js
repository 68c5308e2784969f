// Which strategy the app's service worker uses for a URL, and which manifest files it
// precaches. Pure functions of strings: build.py pastes this file into dist/sw.js, and
// tests/unit run it under Node, so a site served under a sub-path (build.py --base /ide/)
// is checked without a browser. Everything is relative to the worker's scope, never to "/".
//
// APP_ROUTES, the page's own routes (deep links) answered with the shell, is written in
// front of this file by build.py (builder/shell.py), from contract/app_routes.py,
// which server/static.py reads too. Its framed routes (/embed) are not among them: those
// stay with the network.
/* global APP_ROUTES */
"use strict";
// Unversioned files the page reads at boot: fresh from the network when it answers.
const CONFIG_FILES = ["pyscript.json", "manifest.json"];

// The path of `url` below `scope` ("p/42" for scope "https://x/ide/" and
// "https://x/ide/p/42?file=a"), or null when the URL is outside the scope.
function scopedPath(url, scope) {
  const target = new URL(url);
  const base = new URL(scope);
  if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) return null;
  return decodeURIComponent(target.pathname.slice(base.pathname.length));
}

function isAppRoute(path) {
  if (APP_ROUTES.includes(path)) return true;
  const match = /^p\/([^/]+)$/.exec(path);
  return match !== null && !match[1].includes(".");
}

// "asset": cache first (content-hashed paths never change); "shell": network first, the
// cached index.html offline; "config": network first, its cached copy offline; "network":
// not ours to answer (the API, the worker script itself, anything unknown): the browser
// fetches it as if there were no worker, and nothing of it is ever cached.
function routeFor(url, scope) {
  const path = scopedPath(url, scope);
  if (path === null) return "network";
  if (path === "api" || path.startsWith("api/")) return "network";
  if (path.startsWith("assets/")) return "asset";
  if (path === "" || path === "index.html" || isAppRoute(path)) return "shell";
  if (CONFIG_FILES.includes(path)) return "config";
  return "network";
}

// The cache key of a request: the scoped URL without query or fragment ("?file=..." on a
// deep link, "?reset-sw=1"), with app routes folded onto index.html, and a folder of the
// assets (pip asks the wheelhouse for "simple/click/") onto its index.html, as the
// server answers it: the manifest, and so the cache, lists files only.
function cacheKeyFor(url, scope) {
  const route = routeFor(url, scope);
  if (route === "shell") return new URL("index.html", scope).href;
  const clean = new URL(url);
  clean.search = "";
  clean.hash = "";
  if (route === "asset" && clean.pathname.endsWith("/")) clean.pathname += "index.html";
  return clean.href;
}

// Files of the site that the IDE itself never loads.
const NOT_PRECACHED = ["sw.js", "_headers", "_redirects"];

// Manifest paths to precache: all the IDE may load, the wheelhouse included (pip works
// offline). Not the sandbox origin's files (another origin, its own worker), not the
// worker script itself, not a static host's configuration files.
function precacheList(manifest) {
  return Object.keys(manifest.files)
    .filter((name) => !name.startsWith("sandbox-origin/") && !NOT_PRECACHED.includes(name))
    .sort();
}

function cacheName(scope, buildId) {
  return `${cachePrefix(scope)}${buildId}`;
}

// Caches are per origin; the scope in the name keeps two deployments under different
// sub-paths of one origin from deleting each other's caches.
function cachePrefix(scope) {
  return `cospai-app:${new URL(scope).pathname}:`;
}

function wantsReset(url) {
  return new URL(url).searchParams.get("reset-sw") === "1";
}

if (typeof module !== "undefined") {
  module.exports = { scopedPath, routeFor, cacheKeyFor, precacheList, cacheName, cachePrefix,
                     wantsReset, isAppRoute };
}
