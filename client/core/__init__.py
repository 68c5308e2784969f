"""Pure-Python IDE logic: runs under CPython 3.11 and Pyodide alike, imports no `js`."""
