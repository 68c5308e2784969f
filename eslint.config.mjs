// The JavaScript check of `make lint`: ESLint's recommended rules over the code we write
// in JavaScript (the FFI glue, the service workers, the sandbox's pages, the Node-side
// test drivers). Each group names the globals of the place it runs in, so a name that
// exists only elsewhere (`document` in a worker, `window` in a service worker) is caught.
import js from "@eslint/js";
import globals from "globals";

const common = {
  ...js.configs.recommended,
  languageOptions: { ecmaVersion: 2024, sourceType: "module" },
  rules: {
    ...js.configs.recommended.rules,
    // `catch (_error)` and `(_event) =>` say on purpose that a value is not used.
    "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
    eqeqeq: ["error", "smart"],
    "no-var": "error",
    "prefer-const": "error",
  },
};

export default [
  // templates/ are starter projects for users, linted by their own tools, not ours.
  { ignores: ["dist/**", "node_modules/**", ".venv/**", ".dist.build-*/**", "templates/**"] },
  {
    ...common,
    files: ["client/glue/**/*.mjs", "service_worker/register.mjs"],
    languageOptions: { ...common.languageOptions, globals: { ...globals.browser } },
  },
  {
    ...common,
    // Web workers: the runtime worker and the snapshot maker.
    files: ["client/glue/runtime-worker.mjs", "client/glue/pyodide_snapshot_worker.mjs"],
    languageOptions: { ...common.languageOptions, globals: { ...globals.worker } },
  },
  {
    ...common,
    files: ["service_worker/sw.js", "service_worker/sandbox/sw.js", "service_worker/routes.js"],
    languageOptions: {
      ...common.languageOptions,
      sourceType: "script",
      // routes.js also runs under Node for the unit tests: it exports when `module` exists.
      globals: { ...globals.serviceworker, module: "writable" },
    },
  },
  {
    ...common,
    files: ["service_worker/sandbox/runtime.js", "service_worker/sandbox/relay.js"],
    languageOptions: { ...common.languageOptions, globals: { ...globals.browser } },
  },
  {
    ...common,
    // The WebContainer test double runs in the IDE page in place of the real API.
    files: ["tests/doubles/**/*.mjs"],
    languageOptions: { ...common.languageOptions, globals: { ...globals.browser } },
  },
  {
    ...common,
    files: ["tests/integration/**/*.mjs", "tests/unit/**/*.mjs", "bench/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { ...common.languageOptions, globals: { ...globals.node } },
  },
];
