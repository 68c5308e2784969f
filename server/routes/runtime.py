"""GET /api/runtime-config: what the browser's runtime engines need from the server's
configuration: the sandbox origin's pattern (where user code runs, server/sandbox_site.py),
the WebContainer API key and its boot timeout, and the package mirror's PyPI index (an
absolute URL on this origin: pip in the sandbox fetches from it across sites, with CORS).
Public: the key is a browser key by StackBlitz's design (the page passes it to
configureAPIKey), not a secret."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.routes.mirror import mirror_base
from server.sandbox_site import sandbox_pattern


async def runtime_config(request: Request) -> Response:
    settings = request.state.settings  # the lifespan's state
    pattern = sandbox_pattern(
        request.url.scheme,
        request.url.hostname or "localhost",
        settings.sandbox_port_or_default,
        settings.sandbox_host,
    )
    body = {
        "sandbox": pattern,
        "webcontainer": {
            "api_key": settings.webcontainer_api_key,
            "boot_timeout_ms": settings.webcontainer_boot_timeout_ms,
        },
        "mirror": {
            "pypi": f"{mirror_base(request)}/pypi/simple",
            "npm": f"{mirror_base(request)}/npm/",
        },
    }
    return JSONResponse(body, headers={"cache-control": "no-cache"})


ROUTES = [Route("/runtime-config", runtime_config, methods=["GET"])]
