"""The `cospai` module programs import in the Pyodide runtime (build.py ships this file as
the top-level `cospai.py` of the worker):

    from cospai import serve
    serve(app, port=8000)   # a WSGI or ASGI app, shown in the IDE's Preview panel
"""

from client.worker.serve import serve

__all__ = ["serve"]
