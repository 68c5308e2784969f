// Monaco and its vim mode as one ES module; build.py bundles it with esbuild.
// Workers are same-origin module workers beside this file, so no request leaves our origin.
import * as monaco from "monaco-editor";
import { initVimMode, VimMode } from "monaco-vim";

const WORKERS = {
  json: "json.worker.js",
  css: "css.worker.js",
  scss: "css.worker.js",
  less: "css.worker.js",
  html: "html.worker.js",
  handlebars: "html.worker.js",
  razor: "html.worker.js",
  typescript: "ts.worker.js",
  javascript: "ts.worker.js",
};

self.MonacoEnvironment = {
  getWorker(_moduleId, label) {
    const file = WORKERS[label] || "editor.worker.js";
    return new Worker(new URL(`./${file}`, import.meta.url), { type: "module", name: label });
  },
};

export { monaco, initVimMode, VimMode };
