"""The Pyodide runtime's own programs, `python` and `pip`, as commands of the terminal's
shell (client/core/shell). They run inside the worker's interpreter, never the IDE's.

Standard library and client.core only at import time, so CPython runs the tests; what is
Pyodide's (micropip, the blocking terminal read) is handed in through `host.Host`.
Start at `commands.install(shell, host)`.
"""
