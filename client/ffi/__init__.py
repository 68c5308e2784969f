"""The only package that imports `js` or `pyodide.ffi`; everything else goes through it."""
