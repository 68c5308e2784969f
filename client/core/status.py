"""The sync status the status bar shows. It must always tell the truth."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SyncState(StrEnum):
    SAVED = "saved"  # the server has everything
    SAVING = "saving"  # a request is on its way
    UNSAVED = "unsaved"  # changes wait for the next sync
    OFFLINE = "offline"  # the server cannot be reached; changes are kept here
    CONFLICT = "conflict"  # the user must choose between two versions
    SIGNED_OUT = "signed-out"  # changes wait for the same user to sign in again
    ERROR = "error"  # the server refused a change; the message says why


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState
    pending: int = 0
    conflicts: int = 0
    message: str = ""

    @property
    def label(self) -> str:
        if self.state is SyncState.OFFLINE:
            return f"Offline ({self.pending} pending)"
        if self.state is SyncState.CONFLICT:
            return f"Conflict ({self.conflicts})"
        if self.state is SyncState.UNSAVED:
            return f"Unsaved changes ({self.pending})"
        if self.state is SyncState.SIGNED_OUT:
            return f"Signed out ({self.pending} pending)"
        if self.state is SyncState.ERROR:
            return f"Not saved: {self.message}"
        return {SyncState.SAVED: "Saved", SyncState.SAVING: "Saving…"}[self.state]
