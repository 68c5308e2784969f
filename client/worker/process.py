"""What a fresh `python` process would give a program, faked inside one long-lived
interpreter: its own sys.argv, sys.path, cwd, environment and `__main__`, put back
afterwards so the worker (and the next run) sees none of it.

A real process also starts with no user modules imported. Here `import helper` would
hand the second run the module the first run loaded, stale after an edit; so before each
run every module whose file lies in the project is dropped from sys.modules. Installed
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


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def forget_project_modules(project: str) -> list[str]:
    """Drop modules loaded from files under `project`; return their names."""
    gone = []
    for name, module in list(sys.modules.items()):
        # Namespace packages have no __file__ but a __path__ of folders.
        places = [getattr(module, "__file__", None) or ""]
        places += list(getattr(module, "__path__", None) or [])
        if any(place and _inside(place, project) for place in places):
            del sys.modules[name]
            gone.append(name)
    importlib.invalidate_caches()  # files created since the last run must be found
    return gone


@contextmanager
def fresh_process(argv: list[str], path0: str, project: str, cwd: str,
                  env: dict[str, str]) -> Iterator[types.ModuleType]:  # fmt: skip
    """Run the body as a new process would be: argv, path0 first on sys.path, then the
    project folder, cwd and env set; yields a new, empty `__main__` module."""
    forget_project_modules(project)
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
