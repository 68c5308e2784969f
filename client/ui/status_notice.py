"""The status bar's notice: short messages from any view (#status-notice, which the
workbench's layout adds), and what a background task's failure looks like there
(client/core/tasks.py hands failures to `report_failure` once boot.py has set it)."""

from __future__ import annotations

import traceback

from client.ffi import dom, page


def notify(text: str, level: str = "info") -> None:
    """A short message in the status bar; errors stay until the next message."""
    node = dom.by_id("status-notice")
    if node is not None:
        node.textContent = text
        node.setAttribute("data-level", level)
    dom.set_state("notice", level)


def report_failure(name: str, error: BaseException) -> None:
    """A background task failed: the traceback to the console, one line to the user
    (the notice in the workbench, the status text elsewhere)."""
    page.log_error("".join(traceback.format_exception(error)).rstrip())
    text = f"Could not {name}: {type(error).__name__}: {error}"
    if dom.by_id("status-notice") is not None:
        notify(text, "error")
    else:
        page.set_status(text)
