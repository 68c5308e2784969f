"""`pip` and `python` of client/worker in real Pyodide, in Chromium: a separate
interpreter in the page (the IDE's own stays untouched) loads the shipped client package,
puts both commands into a shell and installs from the wheelhouse build.py ships, through
the real micropip.

The browser reaches nothing but this machine (tests/support/browser.py), so whatever
installs came from our origin. Offline after the first load (context.set_offline) needs
the service worker's cache, not landed yet: this test proves the wheelhouse path itself.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.page_pyodide import pyodide_script
from tests.e2e.test_boot import wait_for_boot
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer

SESSION = r"""
import os, sys, time
sys.path.insert(0, "/home/pyodide/app")
from client.core.shell import Shell, Streams
from client.worker.commands import install
from client.worker.host import Host
from client.worker.micropip_installer import MicropipInstaller

os.makedirs("/project", exist_ok=True)
with open("/project/app.py", "w") as handle:
    handle.write("import sys\nfrom rich.text import Text\n"
                 "text = Text.from_markup('[bold]hi[/bold] ' + sys.argv[1])\n"
                 "open('out.txt', 'w').write(text.plain)\nprint(text.plain)\n")
with open("/project/test_app.py", "w") as handle:
    handle.write("def test_ok():\n    assert 1 + 1 == 2\n")

import zipfile
os.makedirs("/project/dist", exist_ok=True)
with zipfile.ZipFile("/project/dist/hello_cospai-0.1-py3-none-any.whl", "w") as wheel:
    info = "hello_cospai-0.1.dist-info/"
    wheel.writestr("hello_cospai.py", "GREETING = 'hello from a local wheel'\n")
    wheel.writestr(info + "METADATA", "Metadata-Version: 2.1\nName: hello-cospai\nVersion: 0.1\n")
    wheel.writestr(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                   "Tag: py3-none-any\n")
    wheel.writestr(info + "RECORD", "")

transcript = []
def writer(text):
    transcript.append(text)

shell = Shell("/project", env={"HOME": "/project"}, streams=Streams(writer, writer))
# Terminal input typed ahead, read in order by the REPL and input() (the engine's real
# reader blocks on a SharedArrayBuffer instead).
typed = ["for i in range(2):\n", "    print(i)\n", "\n", "exit(4)\n", "Ada\n"]
def read_line():
    return typed.pop(0) if typed else None
install(shell, Host(project="/project", read_line=read_line,
                    installer=MicropipInstaller(WHEELHOUSE)))
results = []
for line in LINES:
    transcript.clear()
    start = time.perf_counter()
    status = await shell.run_line(line)
    ms = round((time.perf_counter() - start) * 1000, 1)
    results.append({"line": line, "status": status, "text": "".join(transcript), "ms": ms})
results
"""

LINES = [
    "pip install rich",
    "python app.py there",
    "cat out.txt",
    "pip install rich",
    "pip show rich",
    "pip install surely-not-a-package-cospai",
    "python -m pytest -q -p no:cacheprovider",
    "python -c 'import sys; print(sys.version_info[:2]); sys.exit(5)'",
    "pip freeze",
    "python -q",
    'python -c \'print("hi", input("name? "))\'',
    "pip install click",
    "cd dist && pip install hello_cospai-0.1-py3-none-any.whl; cd ..",
    "python -c 'import hello_cospai; print(hello_cospai.GREETING)'",
    "python -c 'print(1)'",
    "python -c 'print(1)'",
    "python -c 'print(1)'",
]

RUN_JS = pyodide_script(
    "{session, lines}",
    """\
    await py.loadPackage("micropip");
    const zipUrl = new URL(assets.client + "client.zip", location.href);
    const zip = await (await fetch(zipUrl)).arrayBuffer();
    py.unpackArchive(zip, "zip", {extractDir: "/home/pyodide/app"});
    py.globals.set("WHEELHOUSE", new URL(assets.wheelhouse + "simple", location.href).href);
    py.globals.set("LINES", py.toPy(lines));
    const results = await py.runPythonAsync(session);
    return results.toJs({dict_converter: Object.fromEntries});
""",
)


def test_pip_installs_from_the_wheelhouse_and_python_runs_it(
    page: Page, live_server: LiveServer, request_log: list[str], artifacts: Path
) -> None:
    page.goto(live_server.url + "/")
    assert wait_for_boot(page) == "ready"
    results = page.evaluate(RUN_JS, {"session": SESSION, "lines": LINES})
    by_line = {result["line"]: result for result in results}
    transcript = "\n".join(
        f"$ {r['line']} [{r['status']}, {r['ms']} ms]\n{r['text']}" for r in results
    )
    (artifacts / "python-pip-in-pyodide.txt").write_text(transcript)

    first, again = results[0], results[3]
    assert first["status"] == 0, transcript
    assert "Successfully installed" in first["text"] and "rich-15.0.0" in first["text"]
    assert "Requirement already satisfied: rich (15.0.0)" in again["text"], transcript
    assert by_line["python app.py there"]["text"] == "hi there\n", transcript
    assert by_line["cat out.txt"]["text"] == "hi there", transcript
    assert "Name: rich\nVersion: 15.0.0\n" in by_line["pip show rich"]["text"], transcript

    missing = by_line["pip install surely-not-a-package-cospai"]
    assert missing["status"] == 1, transcript
    assert missing["text"].count("\n") == 2 and "Traceback" not in missing["text"]
    assert (
        "ERROR: No matching distribution found for surely-not-a-package-cospai" in missing["text"]
    )

    tests = by_line["python -m pytest -q -p no:cacheprovider"]
    assert tests["status"] == 0 and "1 passed" in tests["text"], transcript
    version = by_line["python -c 'import sys; print(sys.version_info[:2]); sys.exit(5)'"]
    assert (version["status"], version["text"]) == (5, "(3, 14)\n"), transcript
    assert "rich==15.0.0" in by_line["pip freeze"]["text"]
    assert [r["text"] for r in results[-3:]] == ["1\n"] * 3
    local = by_line["python -c 'import hello_cospai; print(hello_cospai.GREETING)'"]
    assert local["text"] == "hello from a local wheel\n", transcript
    repl = by_line["python -q"]
    assert (repl["status"], repl["text"]) == (4, ">>> ... ... 0\n1\n>>> "), transcript
    assert by_line[LINES[10]]["text"] == "name? hi Ada\n", transcript

    # No index but the wheelhouse was named: nothing, not even the failed lookup, left.
    assert off_machine(request_log) == []
