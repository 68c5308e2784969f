"""Share links as their owner makes them: create one for the saved files (or a folder of
them), and publish the files as saved now to an existing one."""

from __future__ import annotations

from uuid import UUID

from psycopg import AsyncConnection

from server.errors import ApiError
from server.repo import shares as share_repo
from server.repo.projects import Project
from server.repo.shares import Share
from server.services.projects import owned


def no_such_share() -> ApiError:
    return ApiError(404, "not_found", "No such share link.")


async def create(
    conn: AsyncConnection, owner: UUID, project_id: UUID, root: str
) -> tuple[Share, Project]:
    """A link to the project's files as saved now; `root` ("" = all) must hold some."""
    async with conn.transaction():
        project = await owned(conn, owner, project_id, for_update=True)
        if root and not await share_repo.has_folder(conn, project.id, root):
            raise ApiError(
                422,
                "invalid",
                f"The project has no files in the folder {root}/.",
                {"field": "root"},
            )
        share = await share_repo.create(conn, project.id, owner, project.version, root)
    return share, project


async def publish(
    conn: AsyncConnection, owner: UUID, project_id: UUID, token: str
) -> tuple[Share, Project]:
    """Update to latest: the link serves the files as saved now."""
    async with conn.transaction():
        project = await owned(conn, owner, project_id, for_update=True)
        share = await share_repo.republish(conn, project.id, owner, project.version, token)
        if share is None:
            raise no_such_share()
    return share, project
