// The sandbox origin's service worker. Two jobs:
// - previews: answers /preview/<sid>/<path> by asking the IDE tab that owns <sid> over the
//   MessagePort its relay handed us (relay.js). The IDE answers from the project's files in
//   memory, so a preview shows unsaved edits and works offline.
// - the runtime, offline: keeps the runtime host page and the runtime's files (the list
//   /sandbox-files.json gives, for the build being served) in Cache Storage, and answers
//   them from there when the network fails, so the runtime boots offline after one visit.
//
// Request  (worker -> IDE): {id, method, path, query, headers, body}
// Response (IDE -> worker): {id, status, headers, body}
// ISOLATION, the sandbox's headers, is written below "use strict" by build.py, from
// contract/isolation.py, as the server's sandbox_site.py sends them.
/* global ISOLATION */
"use strict";

const TIMEOUT_MS = 15000; // a port never says its tab died: give up, answer 504, reconnect
const WAIT_FOR_PORT_MS = 3000;

const links = new Map(); // sid -> {port, pending: Map<id, {resolve, timer}>}
const waiting = new Map(); // sid -> [resolve] until a relay introduces that sid
let nextId = 1;

const CACHE_PREFIX = "cospai-sandbox-";
let keeping = null;

self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(keep().catch(() => {}));
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "connect" && typeof data.sid === "string" && event.ports[0]) {
    attach(data.sid, event.ports[0]);
  } else if (data.type === "keep") {
    event.waitUntil(keep().catch(() => {}));
  }
});

// Store what the runtime needs, for the build the server names; drop older builds' caches.
// (What pip fetched from the package mirror is kept apart, by the runtime worker itself, in
// a cache this clean-up does not touch: client/glue/mirror-cache.mjs.)
function keep() {
  keeping = keeping || (async () => {
    const answer = await fetch("/sandbox-files.json", { cache: "no-store" });
    if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
    const { build_id: build, files } = await answer.json();
    const name = CACHE_PREFIX + build;
    const cache = await caches.open(name);
    for (const path of files) {
      if (path.startsWith("/assets/") && (await cache.match(path))) continue;
      const response = await fetch(path);
      if (response.ok) await cache.put(path, response);
    }
    for (const other of await caches.keys()) {
      if (other.startsWith(CACHE_PREFIX) && other !== name) await caches.delete(other);
    }
  })().finally(() => { keeping = null; });
  return keeping;
}

// The runtime's own files: content-hashed assets from the cache first, pages from the
// network first (a new build's page), the kept copy when the network fails.
async function runtimeFile(request, url) {
  if (request.method !== "GET") return fetch(request);
  // A wheelhouse folder (pip asks for simple/<name>/) is kept as its index.html.
  const path = url.pathname.endsWith("/") ? url.pathname + "index.html" : url.pathname;
  const kept = () => caches.match(path, { ignoreSearch: true });
  if (url.pathname.startsWith("/assets/")) {
    const found = await kept();
    if (found) return found;
    return fetch(request);
  }
  try {
    return await fetch(request);
  } catch (error) {
    const found = await kept();
    if (found) return found;
    throw error;
  }
}
const RUNTIME_PAGES = new Set(["/runtime.html", "/runtime.js", "/relay.html", "/relay.js"]);

function attach(sid, port) {
  const old = links.get(sid);
  if (old) old.port.close();
  const link = { port, pending: new Map() };
  links.set(sid, link);
  port.onmessage = ({ data }) => {
    const entry = data && link.pending.get(data.id);
    if (!entry) return;
    link.pending.delete(data.id);
    clearTimeout(entry.timer);
    entry.resolve(data);
  };
  port.postMessage({ type: "hello" }); // the IDE loads previews only after this
  for (const resolve of waiting.get(sid) || []) resolve(link);
  waiting.delete(sid);
}

// After a restart we hold no ports: ask every relay to introduce itself again.
async function findLink(sid) {
  const found = new Promise((resolve) => {
    waiting.set(sid, [...(waiting.get(sid) || []), resolve]);
    setTimeout(() => resolve(null), WAIT_FOR_PORT_MS);
  });
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).pathname === "/relay.html") client.postMessage({ type: "need-port" });
  }
  return found;
}

const PREVIEW = /^\/preview\/([A-Za-z0-9_-]{8,64})(\/.*)?$/;

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== location.origin || url.pathname === "/sw.js") return;
  if (RUNTIME_PAGES.has(url.pathname) && event.request.mode === "navigate") {
    event.respondWith(runtimeFile(event.request, url));
    return;
  }
  const match = url.pathname.match(PREVIEW);
  if (match && !match[2]) {
    // /preview/<sid> -> /preview/<sid>/ so the page's relative URLs resolve inside it
    event.respondWith(Response.redirect(new URL(url.pathname + "/" + url.search, url).href, 302));
  } else if (match) {
    event.respondWith(serve(event.request, match[1], match[2], url));
  } else {
    // An absolute URL (`/api/hello`, `/style.css`, a link to `/about`) asked by a previewed
    // page: it belongs to the preview that page is in (a navigation has no client yet, but
    // its referrer is the page). Asked by the runtime host or its worker: a runtime file.
    event.respondWith(fromPage(event, url));
  }
});

async function fromPage(event, url) {
  const client = event.clientId ? await self.clients.get(event.clientId) : null;
  const from = client ? client.url : event.request.referrer;
  const match = from && new URL(from).origin === location.origin &&
    new URL(from).pathname.match(PREVIEW);
  if (!match) return runtimeFile(event.request, url);
  if (event.request.mode === "navigate") {
    // Keep the address inside the preview, so the next relative URL resolves there too.
    const inside = `/preview/${match[1]}${url.pathname}${url.search}`;
    return Response.redirect(new URL(inside, url).href, 302);
  }
  return serve(event.request, match[1], url.pathname, url);
}

async function serve(request, sid, path, url) {
  const link = links.get(sid) || (await findLink(sid));
  if (!link) return text(504, "The IDE tab serving this preview is not open any more.");
  const body = ["GET", "HEAD"].includes(request.method) ? null : await request.arrayBuffer();
  const headers = {};
  request.headers.forEach((value, name) => { headers[name] = value; });
  const id = nextId++;
  const answer = await new Promise((resolve) => {
    const timer = setTimeout(() => {
      link.pending.delete(id);
      resolve(null);
    }, TIMEOUT_MS);
    link.pending.set(id, { resolve, timer });
    const message = { id, method: request.method, path, query: url.search, headers, body };
    link.port.postMessage(message, body ? [body] : []);
  });
  if (!answer) {
    if (links.get(sid) === link) links.delete(sid); // the next request looks for a new port
    return text(504, "The IDE did not answer in time.");
  }
  return respond(answer, request.method);
}

function respond(answer, method) {
  const headers = new Headers(answer.headers || {});
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  const status = answer.status || 200;
  // 204/304 (and HEAD) must have a null body: `new Response("", {status: 204})` throws.
  if ([101, 204, 205, 304].includes(status) || method === "HEAD") {
    return new Response(null, { status, headers });
  }
  let body = answer.body || new Uint8Array(0);
  if ((headers.get("content-type") || "").startsWith("text/html")) {
    body = injectConsole(new TextDecoder().decode(body));
    headers.delete("content-length");
  }
  return new Response(body, { status, headers });
}

function text(status, message) {
  const headers = { ...ISOLATION, "content-type": "text/plain; charset=utf-8" };
  return new Response(message, { status, headers });
}

// Put the console bridge first in the page, so it sees the page's own scripts' output.
function injectConsole(html) {
  const tag = `<script>${CONSOLE_BRIDGE}</script>`;
  const head = html.match(/<head[^>]*>/i);
  if (head) return html.slice(0, head.index + head[0].length) + tag + html.slice(head.index + head[0].length);
  const doctype = html.match(/^\s*<!doctype[^>]*>/i);
  if (doctype) return doctype[0] + tag + html.slice(doctype[0].length);
  return tag + html;
}

// Runs inside the previewed page: forwards console.* calls and uncaught errors (with their
// stacks) to the IDE page that frames the preview. Values are flattened to text here, so
// nothing but strings crosses to the IDE.
const CONSOLE_BRIDGE = `(() => {
  if (window.parent === window) return;
  const target = (location.ancestorOrigins && location.ancestorOrigins[0]) || "*";
  const show = (value) => {
    if (value instanceof Error) return value.stack || String(value);
    if (typeof value === "string") return value;
    try { const json = JSON.stringify(value); if (json !== undefined) return json; } catch (e) {}
    return String(value);
  };
  const send = (level, args, stack) => {
    try {
      window.parent.postMessage({ cospaiPreview: "console", level,
        text: Array.from(args, show).join(" "), stack: stack || "" }, target);
    } catch (e) {}
  };
  try {  // so the IDE's URL bar follows links clicked inside the preview
    window.parent.postMessage({ cospaiPreview: "location",
      href: location.pathname + location.search + location.hash }, target);
  } catch (e) {}
  for (const level of ["log", "info", "warn", "error", "debug"]) {
    const original = console[level];
    console[level] = function (...args) { send(level, args); return original.apply(this, args); };
  }
  window.addEventListener("error", (event) => {
    const error = event.error;
    send("uncaught", [event.message], error && error.stack ? error.stack
      : event.filename + ":" + event.lineno + ":" + event.colno);
  });
  window.addEventListener("unhandledrejection", (event) => {
    const reason = event.reason;
    send("uncaught", ["Unhandled promise rejection: " + show(reason)], reason && reason.stack || "");
  });
})();`;
