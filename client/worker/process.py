"""What a fresh `python` process would give a program, faked inside one long-lived
interpreter: its own sys.argv, sys.path, cwd, environment and `__main__`, put back
afterwards so the worker (and the next run) sees none of it.

A real process also starts with no user modules imported. Here `import helper` would
hand the second run the module the first run loaded, stale after an edit; so before each
run, and after it, every module whose file lies in the project is dropped from
sys.modules. After it, a module the program shadowed (a project `json.py` imported as
`mailbox`) is put back too, so the worker's own code never gets the user's. One
difference from CPython remains: a module the worker has already imported (json, say)
wins over a project file of the same name, as os and io do in a fresh CPython. Installed
packages (site-packages) stay loaded: they do not change between runs and are slow to
import under Pyodide.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager


def forget_project_modules(project: str) -> list[str]:
    """Drop modules loaded from files under `project`; return their names."""
    # String prefixes only, no realpath per module: this runs before every command, over
    # hundreds of modules, and module paths are already absolute.
    prefixes = tuple(
        {os.path.join(os.path.abspath(project), ""), os.path.join(os.path.realpath(project), "")}
    )
    gone = []
    for name, module in list(sys.modules.items()):
        # Namespace packages have no __file__ but a __path__ of folders.
        places = [getattr(module, "__file__", None) or ""]
        places += [
            place for place in getattr(module, "__path__", None) or [] if isinstance(place, str)
        ]
        if any(os.path.join(place, "").startswith(prefixes) for place in places if place):
            del sys.modules[name]
            gone.append(name)
    importlib.invalidate_caches()  # files created since the last run must be found
    return gone


@contextmanager
def fresh_process(
    argv: list[str], path0: str, project: str, cwd: str, env: dict[str, str]
) -> Iterator[types.ModuleType]:
    """Run the body as a new process would be: argv, path0 first on sys.path, then the
    project folder, cwd and env set; yields a new, empty `__main__` module."""
    forget_project_modules(project)
    saved_modules = dict(sys.modules)
    saved_argv, saved_path = sys.argv, sys.path[:]
    saved_main = sys.modules.get("__main__")
    saved_cwd = os.getcwd()
    saved_env = dict(os.environ)
    main = types.ModuleType("__main__")
    main.__dict__["__builtins__"] = __builtins__
    head = [path0] + ([project] if project != path0 else [])
    sys.argv = list(argv)
    sys.path[:] = head + [entry for entry in saved_path if entry not in head]
    sys.modules["__main__"] = main
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        yield main
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
        else:
            sys.modules.pop("__main__", None)
        sys.path = saved_path  # a program may have replaced the list itself
        sys.argv = saved_argv
        forget_project_modules(project)
        for name, module in saved_modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
