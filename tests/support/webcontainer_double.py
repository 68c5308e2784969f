"""Serving the WebContainer API double (tests/doubles/webcontainer.mjs, and the modules it
imports beside it) in place of the vendored @webcontainer/api, for one browser context: the
page loads the real bridge, which imports the double instead of StackBlitz's client.
Nothing of this is in dist/."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Route

from tests.support.paths import ROOT

DOUBLES = ROOT / "tests" / "doubles"
# The vendored module, and (for the double's own imports) its siblings.
VENDORED = "**/assets/webcontainer-*/webcontainer*.mjs"


def use_double(context: BrowserContext) -> None:
    sources = {path.name: path.read_text() for path in DOUBLES.glob("webcontainer*.mjs")}

    def serve(route: Route) -> None:
        name = route.request.url.split("?", 1)[0].rsplit("/", 1)[-1]
        if name not in sources:
            route.fulfill(status=404, body=f"no {name} in tests/doubles")
            return
        route.fulfill(
            status=200,
            body=sources[name],
            content_type="text/javascript; charset=utf-8",
            headers={"cross-origin-resource-policy": "same-origin", "cache-control": "no-store"},
        )

    context.route(VENDORED, serve)
