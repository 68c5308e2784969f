"""CosPAI IDE client: the IDE's logic, run by Pyodide in the browser.

Layers (ARCHITECTURE.md): `core` is pure Python, `ffi` is the only code that touches `js`,
`adapters` wrap browser services, `ui` holds controllers. `boot` is PyScript's entry.
"""

__version__ = "0.1.0"
