"""PyScript's entry point: the interpreter is up and the package unpacked; finish booting.

index.html's boot loader owns the step list; Python reports the steps it owns ("client",
then "ready") and turns its own failures into the same visible error.
"""

from client.ffi import page


def _start() -> None:
    try:
        import client.core  # noqa: F401  (imports the pure layer: proves the package is whole)
        from client.ui import welcome

        page.mark_step("client")
        runtime = page.runtime_description()
        welcome.show(runtime, page.build_id())
        page.boot_ready()
        page.set_status(f"Ready · {runtime}")
    except Exception as error:  # a failed import must reach the page, not only the console
        page.boot_failed("client", f"{type(error).__name__}: {error}")
        raise


_start()
