// Runs tests/unit/worker (the python and pip commands) inside Pyodide under Node: the
// commands must behave on Pyodide's Python 3.14 and Emscripten's file system as on CPython.
//   node worker_in_pyodide.mjs REPO_ROOT PYODIDE_DIR WHEEL_DIR
// Prints pytest's report and exits with pytest's status.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [root, pyodideDir, wheelDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep });

function copy(src, dst) {
  py.FS.mkdirTree(dst);
  for (const name of fs.readdirSync(src)) {
    const from = path.join(src, name);
    if (fs.statSync(from).isDirectory()) {
      if (name !== "__pycache__") copy(from, `${dst}/${name}`);
    } else if (name.endsWith(".py")) {
      py.FS.writeFile(`${dst}/${name}`, fs.readFileSync(from));
    }
  }
}
// The worker's tests borrow the shell's test harness (tests/unit/shell/conftest.py).
// All of client/core (the worker imports runtime_host, rules, fs_snapshot...), as the real
// worker has it from client.zip, with the sync rules beside it as build.py packs them.
for (const folder of ["client/core", "client/worker", "tests/unit/shell", "tests/unit/worker"]) {
  copy(path.join(root, folder), `/app/${folder}`);
}
py.FS.mkdirTree("/app/contract");
py.FS.writeFile("/app/contract/sync_rules.json",
                fs.readFileSync(path.join(root, "contract/sync_rules.json")));
py.FS.mkdirTree("/app/tests/support");
py.FS.writeFile("/app/tests/support/paths.py", fs.readFileSync(path.join(root, "tests/support/paths.py")));
for (const init of ["client", "client/core", "tests", "tests/unit", "tests/support"]) {
  py.FS.writeFile(`/app/${init}/__init__.py`, "");
}

// pytest from the wheelhouse: the suite runs it, and `python -m pytest` is under test.
py.FS.mkdirTree("/wheels");
for (const wanted of ["pytest-", "pluggy-", "iniconfig-", "packaging-", "pygments-"]) {
  const file = fs.readdirSync(wheelDir).find((name) => name.startsWith(wanted));
  if (!file) throw new Error(`no ${wanted}*.whl in ${wheelDir}`);
  py.FS.writeFile(`/wheels/${file}`, fs.readFileSync(path.join(wheelDir, file)));
}

py.setStdout({ batched: (line) => process.stdout.write(line + "\n") });
py.setStderr({ batched: (line) => process.stderr.write(line + "\n") });
const status = py.runPython(`
import os, site, sys, zipfile
for name in sorted(os.listdir("/wheels")):
    zipfile.ZipFile("/wheels/" + name).extractall(site.getsitepackages()[0])
sys.path.insert(0, "/app")
os.chdir("/app")
import pytest
int(pytest.main(["-q", "-p", "no:cacheprovider", "tests/unit/worker",
                 # The serve() tests drive a real event loop (stack switching), which Node's
                 # Pyodide lacks; they run under CPython (tests/unit), and serve() runs for
                 # real in Chromium in tests/e2e/test_preview.py.
                 "--ignore=tests/unit/worker/test_serve.py",
                 "--ignore=tests/unit/worker/test_static_server.py"]))
`);
process.exit(status);
