// IndexedDB for the project cache, the autosave buffer and the outbox, batched in JS.
// A transaction closes at the first await that is not one of its own requests, so each
// operation Python asks for runs start to finish here, in one transaction.
// Schema history (bump DB_VERSION and add a step to MIGRATIONS to change it):
//   1: files   key [project, path]   {project, path, content: Uint8Array, binary, base}
//      meta    key project           {project, tombstones, conflicts, serverVersion, etag}

const DB_NAME = "cospai";
export const DB_VERSION = 1;

const MIGRATIONS = {
  1(db) {
    const files = db.createObjectStore("files", { keyPath: ["project", "path"] });
    files.createIndex("by_project", "project");
    db.createObjectStore("meta", { keyPath: "project" });
  },
};

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new DOMException("transaction aborted", "AbortError"));
  });
}

export async function open(name = DB_NAME) {
  if (!("indexedDB" in globalThis)) throw new DOMException("IndexedDB is not available", "NotSupportedError");
  const req = indexedDB.open(name, DB_VERSION);
  req.onupgradeneeded = (event) => {
    for (let v = event.oldVersion + 1; v <= DB_VERSION; v++) MIGRATIONS[v](req.result, req.transaction);
  };
  req.onblocked = () => console.warn("[cospai] IndexedDB upgrade waits for another tab to close");
  const db = await request(req);
  db.onversionchange = () => db.close(); // let a newer tab upgrade
  return db;
}

export async function persist() {
  // Ask the browser not to evict our data under storage pressure; it may say no.
  try {
    return navigator.storage && navigator.storage.persist ? await navigator.storage.persist() : false;
  } catch {
    return false;
  }
}

export async function estimate() {
  try {
    return navigator.storage && navigator.storage.estimate ? await navigator.storage.estimate() : null;
  } catch {
    return null;
  }
}

export async function loadProject(db, project) {
  const tx = db.transaction(["files", "meta"], "readonly");
  const files = request(tx.objectStore("files").index("by_project").getAll(IDBKeyRange.only(project)));
  const meta = request(tx.objectStore("meta").get(project));
  const [fileRows, metaRow] = await Promise.all([files, meta]);
  await done(tx);
  return { files: fileRows, meta: metaRow ?? null };
}

export async function saveProject(db, project, changed, removed, meta) {
  const tx = db.transaction(["files", "meta"], "readwrite");
  const files = tx.objectStore("files");
  for (const path of removed) files.delete([project, path]);
  for (const row of changed) files.put({ ...row, project });
  tx.objectStore("meta").put({ ...meta, project });
  await done(tx);
}

export async function deleteProject(db, project) {
  const tx = db.transaction(["files", "meta"], "readwrite");
  const keys = await request(tx.objectStore("files").index("by_project").getAllKeys(IDBKeyRange.only(project)));
  for (const key of keys) tx.objectStore("files").delete(key);
  tx.objectStore("meta").delete(project);
  await done(tx);
}

export async function listProjects(db) {
  const tx = db.transaction(["meta"], "readonly");
  const keys = await request(tx.objectStore("meta").getAllKeys());
  await done(tx);
  return keys;
}
