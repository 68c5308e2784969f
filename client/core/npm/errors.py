"""Why an install stops, each as one line for the terminal: a package the registry does not
have, a version no release satisfies, or peer dependencies that cannot agree (npm's
ERESOLVE). The worker catches RegistryError and prints its message."""

from __future__ import annotations

__all__ = ["NoMatchingVersion", "NoSuchPackage", "PeerConflict", "RegistryError"]


class RegistryError(Exception):
    """A package could not be resolved; the message is one line for the terminal.
    `required_by` names the dependent ("the project" or name@version) once known."""

    required_by: str | None = None

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} (required by {self.required_by})" if self.required_by else text


class NoSuchPackage(RegistryError):
    """The registry has no package by that name (HTTP 404, npm's E404)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"404 Not Found: {name} is not in the registry")
        self.name = name


class NoMatchingVersion(RegistryError):
    """No version satisfies the spec (npm's ETARGET)."""

    def __init__(self, name: str, wanted: str) -> None:
        super().__init__(f"No matching version found for {name}@{wanted}.")
        self.name = name
        self.wanted = wanted


class PeerConflict(RegistryError):
    """Two packages of the project need versions of one peer that no single copy can
    satisfy (npm's ERESOLVE); `npm install --force` is not offered in the browser."""
