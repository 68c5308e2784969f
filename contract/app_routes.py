"""The page's own routes (deep links), answered with index.html, which reads location
itself; p/<project id> is one too. The server serves them (server/static.py); build.py
writes the shell ones into the app's service worker (service_worker/routes.js)."""

from __future__ import annotations

# Answered with the shell by the server, and by the service worker (from its cache offline).
SHELL = ("signin", "signup", "projects")
# Made to be framed by other sites (issue 8): the server answers them with headers of their
# own, so the service worker leaves them to the network (its cached shell refuses framing,
# and must not be replaced by a framable copy).
FRAMED = ("embed",)
