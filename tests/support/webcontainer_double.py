"""Serving the WebContainer API double (tests/doubles/webcontainer.mjs) in place of the
vendored @webcontainer/api, for one browser context: the page loads the real bridge, which
imports the double instead of StackBlitz's client. Nothing of this is in dist/."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Route

from tests.support.paths import ROOT

DOUBLE = ROOT / "tests" / "doubles" / "webcontainer.mjs"
VENDORED = "**/assets/webcontainer-*/webcontainer.mjs"


def use_double(context: BrowserContext) -> None:
    source = DOUBLE.read_text()

    def serve(route: Route) -> None:
        route.fulfill(
            status=200,
            body=source,
            content_type="text/javascript; charset=utf-8",
            headers={"cross-origin-resource-policy": "same-origin", "cache-control": "no-store"},
        )

    context.route(VENDORED, serve)
