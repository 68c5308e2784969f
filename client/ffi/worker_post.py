"""A message from the runtime worker's Python to the IDE page (the worker's postMessage),
for what the page must hear without asking: an app started serving on a port. Only for
code running inside the engine's worker (client/worker)."""

from __future__ import annotations

from typing import Any

import js

from client.ffi.convert import to_object


def post(message: dict[str, Any]) -> None:
    js.postMessage(to_object(message))
