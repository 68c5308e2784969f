"""Files the editor does not show as text: images as pictures, other binary files as their
size with a download button. Object URLs are returned so the caller revokes them."""

from __future__ import annotations

from typing import Any

from client.core.editor_rules import Presentation, human_size
from client.ffi import dom
from client.ffi.blobs import download, object_url, revoke
from client.ffi.events import Listeners

__all__ = ["revoke", "show_binary"]


def show_binary(
    host: Any, path: str, content: bytes, view: Presentation, listeners: Listeners
) -> str:
    name = path.rsplit("/", 1)[-1]
    url = object_url(content, view.mime)
    nodes = []
    if view.kind == "image":
        nodes.append(dom.element("img", src=url, alt=name, id="image-preview"))
        nodes.append(dom.element("p", f"{name} · {human_size(len(content))}", class_="muted"))
    else:
        nodes.append(dom.element("p", name, class_="viewer-name"))
        nodes.append(dom.element("p", view.notice, class_="muted", id="binary-notice"))
    button = dom.element("button", "Download", type="button", id="viewer-download")
    button.onclick = listeners.proxy(lambda _e: download(name, url))
    nodes.append(button)
    host.replaceChildren(*nodes)
    return url
