"""PyScript's entry point: the interpreter is up and the package unpacked; finish booting.

index.html's boot loader owns the step list; Python reports the steps it owns ("client",
then "ready") and turns its own failures into the same visible error.
"""

import traceback
from typing import Protocol

from client.ffi import page


class _App(Protocol):
    async def start(self) -> None: ...


_keep: list[object] = []  # the app lives as long as the page


async def _run(app: _App) -> None:
    """Start the app; an error escaping it is shown, never only logged."""
    try:
        await app.start()
    except Exception as error:
        page.log_error("".join(traceback.format_exception(error)).rstrip())
        page.set_status(f"The IDE failed: {type(error).__name__}: {error}")


def _start() -> None:
    try:
        import client.core  # noqa: F401  (imports the pure layer: proves the package is whole)
        from client.app import App  # its views' modules come when a view is first shown
        from client.core import tasks
        from client.ui.status_notice import report_failure

        # A background task's failure shows in the status bar, not only in the console.
        tasks.set_reporter(report_failure)

        # What this page shows first is imported before "ready"; the rest when shown.
        if page.path() == "/embed":
            from client.ui.embed import EmbedApp
        elif page.path().startswith("/p/"):
            import client.ui.workbench  # noqa: F401
        page.mark_step("client")
        runtime = page.runtime_description()
        page.boot_ready()
        page.set_status(f"Ready · {runtime}")
        # /embed (another site's iframe) is a workbench of its own, never the signed-in app.
        app = EmbedApp() if page.path() == "/embed" else App()
        _keep.append(app)
        tasks.spawn(_run(app), "start the IDE")
    except Exception as error:  # a failed import must reach the page, not only the console
        page.boot_failed("client", f"{type(error).__name__}: {error}")
        raise


_start()
