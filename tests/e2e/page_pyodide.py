"""A second Pyodide in the page, loaded from the IDE's own vendored copy (the IDE's
interpreter stays untouched), for the browser tests that run Python where it really runs."""

from __future__ import annotations


def pyodide_script(params: str, body: str) -> str:
    """A JS function for page.evaluate, of `params` (a destructured object, or empty), that
    starts a fresh interpreter and then runs `body`, which sees `assets` (the boot's asset
    URLs) and `py` (the interpreter) and returns the function's result."""
    return f"""async ({params}) => {{
    const {{assets}} = window.cospaiBoot;
    const base = new URL(assets.pyodide, location.href).href;
    const {{loadPyodide}} = await import(base + "pyodide.mjs");
    const py = await loadPyodide({{indexURL: base}});
{body}}}"""
