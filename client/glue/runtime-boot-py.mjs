// The Python the runtime worker (runtime-worker.mjs) runs once its interpreter is up: the
// project's paths, then a function making the runtime host (client/core/runtime_host.py)
// with the python, pip and npm commands (client/worker), whose pip installs from the
// wheelhouse and, when the server names one, its package mirror, where npm installs from.

export const BOOT_PY = `
import os, sys
sys.dont_write_bytecode = True  # no __pycache__ folders syncing into the project
# Set here, not through loadPyodide's env: a restored snapshot keeps the environment of
# the interpreter that made it.
os.environ.update(HOME="/project", PYTHONDONTWRITEBYTECODE="1")
sys.path.append("/opt/cospai")
sys.path.insert(0, "/project")
from contract.rules import load as _load_rules
from client.core.runtime_host import Host, attach_stdio

def _engine_commands(host, wheelhouse, mirror, npm, load_micropip):
    """python and pip (client/worker) when that package is there; the shell works without."""
    try:
        from client.worker.commands import install
        from client.worker.host import Host as Programs
        from client.worker.micropip_installer import MicropipInstaller
    except ImportError as error:
        print("[cospai] no python/pip commands:", error)
        return None
    programs = Programs(project="/project", read_line=lambda: host.read_line() or None,
                        installer=MicropipInstaller(wheelhouse, mirror, load=load_micropip),
                        npm_registry=npm)
    if npm:
        from client.core.tasks import spawn
        from client.worker.commands import npm_registry
        from client.worker.npm_restore import restore, wanted

        def after_mount():
            # node_modules never syncs: bring it back from the kept packages (quietly).
            if wanted("/project"):
                spawn(restore("/project", npm_registry(programs)), "restore node_modules")
        host.after_mount = after_mount
    return lambda shell: install(shell, programs)

def make_host(bridge, wheelhouse, mirror, npm, load_micropip):
    import time
    host = Host(bridge, "/project", _load_rules())
    host.install_commands = _engine_commands(host, wheelhouse, mirror, npm, load_micropip)
    attach_stdio(host)
    time.sleep = host.sleep  # Pyodide's busy-waits: no Ctrl+C, no files until it ends
    return host
make_host
`;
