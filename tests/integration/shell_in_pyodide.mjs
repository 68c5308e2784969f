// Runs tests/unit/shell inside Pyodide under Node (no browser): the shell must behave the
// same on Emscripten's file system as on the host's. Usage:
//   node shell_in_pyodide.mjs REPO_ROOT PYODIDE_DIR WHEEL_DIR
// Prints pytest's report and exits with pytest's status.
import { runSuite } from "./pyodide_pytest.mjs";

// Only what the suite imports: the shell package and its tests.
await runSuite({
  folders: ["client/core/shell", "tests/unit/shell"],
  pytestArgs: ["-W", "error", "tests/unit/shell"],
});
