// The preview relay (runs on the preview origin, inside a hidden iframe of the IDE page).
//
// The IDE cannot talk to the preview origin's service worker itself (another origin), so
// this page does the introduction: it registers the worker, then creates a MessageChannel
// and gives port1 to the worker and port2 to the IDE. The worker sends every preview
// request over its port; the IDE answers from the project's files. When the worker was
// stopped and restarted (browsers do that when idle) it has lost its port: it asks every
// relay for a new one ("need-port"), and we introduce again.
"use strict";

const params = new URLSearchParams(location.search);
const sid = params.get("sid") || "";
// Ports go to the page that embeds us and to no one else. Chromium tells us who that is
// (ancestorOrigins cannot be forged by the embedder); the ?ide= parameter is the fallback.
const ide = (location.ancestorOrigins && location.ancestorOrigins[0]) || params.get("ide");

function activeWorker(registration) {
  if (registration.active) return Promise.resolve(registration.active);
  const worker = registration.installing || registration.waiting;
  return new Promise((resolve, reject) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve(worker);
      if (worker.state === "redundant") reject(new Error("the preview worker did not install"));
    });
  });
}

function introduce(worker) {
  const channel = new MessageChannel();
  worker.postMessage({ type: "connect", sid }, [channel.port1]);
  parent.postMessage({ type: "cospai-preview-port", sid }, ide, [channel.port2]);
}

async function start() {
  if (parent === window || !ide || !/^[A-Za-z0-9_-]{8,64}$/.test(sid)) return;
  try {
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const worker = await activeWorker(registration);
    navigator.serviceWorker.onmessage = async (event) => {
      if (event.data && event.data.type === "need-port") {
        const fresh = await navigator.serviceWorker.getRegistration("/");
        if (fresh && fresh.active) introduce(fresh.active);
      }
    };
    introduce(worker);
  } catch (error) {
    parent.postMessage({ type: "cospai-preview-error", sid, message: String(error) }, ide);
  }
}

start();
