"""Put `python` and `pip` into a terminal's shell. The engine calls, once per shell:

    from client.core.shell import Shell, Streams
    from client.worker.commands import install
    from client.worker.host import Host
    from client.worker.micropip_installer import MicropipInstaller

    shell = Shell("/project", env={"HOME": "/project"}, streams=Streams(out, err, ...))
    install(shell, Host(
        project="/project",
        read_line=blocking_read,   # SharedArrayBuffer-backed, see host.py
        installer=MicropipInstaller([wheelhouse_simple_url], online=True),
    ))

`wheelhouse_simple_url` is absolute (micropip refuses relative index URLs): on the page
it is `new URL(cospaiBoot.assets.wheelhouse + "simple", location.href).href`, sent to the
worker with its boot message. Several shells may share one Host.
"""

from __future__ import annotations

from client.core.shell import Shell

from .host import Host
from .npm_cmd import NpmCommand
from .npm_install import Tarballs
from .pip_cmd import PipCommand
from .python_cmd import PythonCommand


def install(shell: Shell, host: Host) -> None:
    python = PythonCommand(host)
    shell.register("python", python, "run Python: a file, -c code, -m module, or the prompt")
    shell.register("python3", python, "the same as python")
    shell.register("pip", PipCommand(host), "install packages (micropip, the wheelhouse)")
    shell.register(
        "npm", NpmCommand(lambda: npm_registry(host)), "install npm packages (the mirror)"
    )


def npm_registry(host: Host) -> Tarballs | None:
    """A registry view for one npm command: the mirror, fetched with the worker's fetch
    (which keeps tarballs for offline use); None when the server names no mirror."""
    if not host.npm_registry:
        return None
    from client.ffi.worker_fetch import get  # Pyodide's fetch, in the worker only

    from .npm_registry import MirrorRegistry

    return MirrorRegistry(host.npm_registry, get)
