// Runs tests/unit/worker (the python and pip commands) inside Pyodide under Node: the
// commands must behave on Pyodide's Python 3.14 and Emscripten's file system as on CPython.
//   node worker_in_pyodide.mjs REPO_ROOT PYODIDE_DIR WHEEL_DIR
// Prints pytest's report and exits with pytest's status.
import { runSuite } from "./pyodide_pytest.mjs";

// The worker's tests borrow the shell's test harness (tests/unit/shell/conftest.py).
// All of client/core (the worker imports runtime_host, fs_snapshot...) and contract/ (the
// sync rules), as the real worker has them from client.zip, where build.py packs them.
// pytest is both the runner and, as `python -m pytest`, under test.
await runSuite({
  folders: ["client/core", "client/worker", "contract", "tests/unit/shell", "tests/unit/worker"],
  files: ["contract/sync_rules.json"],
  pytestArgs: [
    "tests/unit/worker",
    // The serve() tests drive a real event loop (stack switching), which Node's Pyodide
    // lacks; they run under CPython (tests/unit), and serve() runs for real in Chromium in
    // tests/e2e/test_preview.py.
    "--ignore=tests/unit/worker/test_serve.py",
    "--ignore=tests/unit/worker/test_static_server.py",
    // The npm registry's tests fetch concurrently (a real event loop, too); npm runs for
    // real in Chromium in tests/e2e/test_npm_runtime.py. Unpacking and progress run here.
    "--ignore=tests/unit/worker/test_npm_registry.py",
  ],
});
