// What shell_in_pyodide.mjs and worker_in_pyodide.mjs share: boot Pyodide under Node, copy
// the Python sources a suite imports into /app, unpack pytest from the wheelhouse build.py
// ships (pure-Python wheels), run pytest and exit with its status.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const PYTEST_WHEELS = ["pytest-", "pluggy-", "iniconfig-", "packaging-", "pygments-"];
// Package markers the copied trees need above the folders the suites name.
const INITS = ["client", "client/core", "tests", "tests/unit", "tests/support"];

// `folders`: repo-relative folders copied (their .py files) to /app; `files`: single files
// copied as they are; `pytestArgs`: pytest's command line after `-q -p no:cacheprovider`.
export async function runSuite({ folders, files = [], pytestArgs }) {
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
  for (const folder of folders) copy(path.join(root, folder), `/app/${folder}`);
  for (const file of ["tests/support/paths.py", "tests/support/coroutines.py", ...files]) {
    py.FS.mkdirTree(path.posix.dirname(`/app/${file}`));
    py.FS.writeFile(`/app/${file}`, fs.readFileSync(path.join(root, file)));
  }
  for (const init of INITS) {
    if (!py.FS.analyzePath(`/app/${init}/__init__.py`).exists) {
      py.FS.mkdirTree(`/app/${init}`);
      py.FS.writeFile(`/app/${init}/__init__.py`, "");
    }
  }

  py.FS.mkdirTree("/wheels");
  for (const wanted of PYTEST_WHEELS) {
    const file = fs.readdirSync(wheelDir).find((name) => name.startsWith(wanted));
    if (!file) throw new Error(`no ${wanted}*.whl in ${wheelDir}`);
    py.FS.writeFile(`/wheels/${file}`, fs.readFileSync(path.join(wheelDir, file)));
  }

  py.setStdout({ batched: (line) => process.stdout.write(line + "\n") });
  py.setStderr({ batched: (line) => process.stderr.write(line + "\n") });
  py.globals.set("pytest_args", py.toPy(["-q", "-p", "no:cacheprovider", ...pytestArgs]));
  const status = py.runPython(`
import os, site, sys, zipfile
for name in sorted(os.listdir("/wheels")):
    zipfile.ZipFile("/wheels/" + name).extractall(site.getsitepackages()[0])
sys.path.insert(0, "/app")
os.chdir("/app")
import pytest
int(pytest.main(list(pytest_args)))
`);
  process.exit(status);
}
