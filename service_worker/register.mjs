// Registers the app's service worker (dist/sw.js) once the IDE is ready, and offers a
// reload when a newer build's worker is waiting, so a page never mixes two builds.
// build.py places it in the client asset group; index.html's boot loader imports it.
//
// <html data-offline="ready"> once this build's worker is active (the page then loads
// offline); window.cospaiServiceWorker.update() asks the server for a newer build now.

const UPDATE_EVERY_MS = 30 * 60 * 1000;
const ASK_TIMEOUT_MS = 3000;
const ISOLATING = "cospai-isolating-reload";

// The build id a worker was made for (its cache name carries it).
function askBuild(worker) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), ASK_TIMEOUT_MS);
    channel.port1.onmessage = ({ data }) => {
      clearTimeout(timer);
      resolve(data && data.build);
    };
    worker.postMessage({ type: "build" }, [channel.port2]);
  });
}

function showBanner(onReload) {
  if (document.getElementById("update-banner")) return;
  const banner = document.createElement("div");
  banner.id = "update-banner";
  banner.setAttribute("role", "status");
  const text = document.createElement("span");
  text.textContent = "A new version is ready — reload";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Reload";
  button.addEventListener("click", () => {
    button.disabled = true;
    onReload();
  });
  banner.append(text, button);
  document.body.append(banner);
}

function markReady() {
  document.documentElement.dataset.offline = "ready";
  const build = document.getElementById("status-build");
  if (build) build.title = "This build is stored in this browser: it loads offline too";
}

// `isolate`: a static-only site, whose host may not send COOP/COEP; once the worker (which
// adds them) is in charge, load the page once more so it is cross-origin isolated.
export async function register(pageBuild, { scriptUrl = "./sw.js", isolate = false } = {}) {
  const root = document.documentElement;
  if (!("serviceWorker" in navigator)) {
    root.dataset.offline = "unsupported";
    return null;
  }
  let reloading = false;
  const reloadInto = (worker) => {
    reloading = true;
    worker.postMessage({ type: "skip-waiting" });  // controllerchange then reloads
  };
  navigator.serviceWorker.addEventListener("controllerchange", async () => {
    if (reloading) {
      location.reload();
      return;
    }
    // Another tab let the new build in: this page still runs the old one.
    const controller = navigator.serviceWorker.controller;
    if (!controller) return;
    if ((await askBuild(controller)) === pageBuild) markReady();
    else showBanner(() => location.reload());
  });

  const consider = async (worker) => {
    if (!worker || !navigator.serviceWorker.controller) return;  // first install: no prompt
    const build = await askBuild(worker);
    if (build === null) return;
    if (build === pageBuild) worker.postMessage({ type: "skip-waiting" });  // already ours
    else showBanner(() => reloadInto(worker));
  };

  let registration;
  try {
    registration = await navigator.serviceWorker.register(scriptUrl, { scope: "./" });
  } catch (error) {
    root.dataset.offline = "failed";
    console.warn("[cospai] no offline support this time: the service worker did not register:", error);
    return null;
  }
  if (registration.waiting) consider(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") consider(worker);
    });
  });
  const update = () => registration.update().catch(() => {});  // offline: try later
  setInterval(update, UPDATE_EVERY_MS);
  addEventListener("online", update);
  window.cospaiServiceWorker = { registration, update };

  navigator.serviceWorker.ready.then(async (ready) => {
    if (!ready.active || (await askBuild(ready.active)) !== pageBuild) return;
    markReady();
    if (isolate && !globalThis.crossOriginIsolated && !sessionStorage.getItem(ISOLATING)) {
      sessionStorage.setItem(ISOLATING, "1");  // once: a host that strips them loops not
      location.reload();
    }
  });
  return registration;
}
