"""BroadcastChannel from Python: tabs of one browser telling each other what changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import js

from client.ffi.events import Listeners


class TabChannel:
    def __init__(
        self, name: str, listeners: Listeners, on_message: Callable[[dict[str, Any]], None]
    ) -> None:
        self.channel = js.BroadcastChannel.new(name) if hasattr(js, "BroadcastChannel") else None
        if self.channel is not None:
            listeners.on(
                self.channel, "message", lambda event: on_message(json.loads(str(event.data)))
            )

    def post(self, message: dict[str, Any]) -> None:
        if self.channel is not None:
            self.channel.postMessage(json.dumps(message))

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()
