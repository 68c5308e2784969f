"""The JSON response bodies, for the OpenAPI document. They are closed (no field beyond
these): they pin the wire contract, and the tests hold every answer to them (schemathesis,
the fixtures of tests/fixtures/api). The routes still build plain dicts, the same shapes.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from msgspec import UNSET, Meta, Struct, UnsetType, field

from server.models.fields import Count, Path, Sha256, Timestamp, Uuid, Version, about


class Reply(Struct, forbid_unknown_fields=True, kw_only=True):
    pass


# --- errors ------------------------------------------------------------------------------
class ErrorDetails(Struct, kw_only=True):
    """Machine-readable context; which keys appear depends on the code."""

    field: Annotated[str, about("The request field at fault (422, 403).")] | UnsetType = UNSET
    op: Annotated[Count, about("Index of the sync operation at fault.")] | UnsetType = UNSET
    limit: Annotated[Count, about("The limit that was exceeded (413).")] | UnsetType = UNSET
    retry_after: Annotated[Count, about("Seconds to wait (429).")] | UnsetType = UNSET
    allow: Annotated[list[str], about("Allowed methods (405).")] | UnsetType = UNSET
    origin: str | UnsetType = UNSET
    entry: str | UnsetType = UNSET
    file: str | UnsetType = UNSET
    path: str | UnsetType = UNSET
    existing: str | UnsetType = UNSET


class ErrorBody(Reply):
    code: Annotated[str, about("Stable, machine-readable; see each response.")]
    message: Annotated[str, about("For people; may change.")]
    details: ErrorDetails


class Error(Reply):
    error: ErrorBody


# --- meta ----------------------------------------------------------------------------------
class DatabaseOk(Reply):
    status: Literal["ok"]
    schema_version: Count
    latency_ms: Annotated[float, Meta(ge=0)]


class DatabaseDown(Reply):
    status: Literal["unavailable"]
    reason: str


class HealthOk(Reply):
    status: Literal["ok"]
    build_id: str
    database: DatabaseOk


class HealthDegraded(Reply):
    status: Literal["degraded"]
    build_id: str
    database: DatabaseDown


class WebContainer(Reply):
    api_key: str | None
    boot_timeout_ms: Annotated[int, Meta(ge=1)]


class RuntimeMirror(Reply):
    pypi: Annotated[
        str,
        about(
            "The package mirror's PyPI simple index (PEP 503/691) as an absolute URL on this "
            "origin, for pip in the sandbox"
        ),
    ]
    npm: Annotated[
        str,
        about(
            "The package mirror's npm registry as an absolute URL on this origin, ending in /, "
            "for npm in the sandbox"
        ),
    ]


class RuntimeConfig(Reply):
    sandbox: Annotated[
        str | None,
        about("The sandbox origin, {project} standing for a project's key (null: none configured)"),
    ]
    webcontainer: WebContainer
    mirror: RuntimeMirror


class EmbedConfig(Reply):
    origins: list[str]


# --- accounts ------------------------------------------------------------------------------
class User(Reply):
    id: Uuid
    email: str
    display_name: str
    created_at: Timestamp


class Session(Reply):
    user: User
    csrf_token: Annotated[str, about("Send it back as X-CSRF-Token.")]


# --- projects and files ------------------------------------------------------------------------
class Template(Reply):
    id: str
    name: str
    description: str
    runtime: str


class TemplateList(Reply):
    templates: list[Template]


class Project(Reply):
    id: Uuid
    name: str
    description: str
    template: str | None
    version: Annotated[Version, about("Bumped by every change of the files.")]
    file_count: Count
    total_bytes: Count
    created_at: Timestamp
    updated_at: Timestamp
    opened_at: Annotated[
        Timestamp | None,
        about("When its files were last loaded; a load answers with the time before it."),
    ]


class ProjectList(Reply):
    projects: list[Project]


# JSON Schema can say what the types cannot: text files carry their content, binary ones not.
_CONTENT_IFF_TEXT = Meta(
    extra_json_schema={
        "if": {"properties": {"binary": {"const": False}}},
        "then": {"required": ["content"]},
        "else": {"not": {"required": ["content"]}},
    }
)


class File(Reply):
    path: Path
    version: Version
    size: Count
    sha256: Sha256
    binary: bool
    content: Annotated[str, about("Text files only: the text.")] | UnsetType = UNSET


class ProjectFiles(Reply):
    project: Project
    version: Version
    files: Annotated[
        list[Annotated[File, _CONTENT_IFF_TEXT]],
        about("Sorted by path. Binary content: GET .../blobs/{sha256}."),
    ]


# --- sync ----------------------------------------------------------------------------------
class SyncOk(Reply, tag_field="status", tag="ok"):
    index: Count
    path: Path
    version: Version
    sha256: Annotated[Sha256, about("Puts and patches only.")] | UnsetType = UNSET
    to: Annotated[Path, about("Renames only.")] | UnsetType = UNSET


class SyncConflict(Reply, tag_field="status", tag="conflict"):
    index: Count
    path: Path
    current_version: Annotated[Version | None, about("null: no such file now.")]
    current_sha256: Sha256 | None


class Revision(Reply):
    number: Annotated[int, Meta(ge=1)]
    message: str
    project_version: Version
    file_count: Count
    total_bytes: Count
    created_at: Timestamp


class SyncResult(Reply):
    version: Annotated[Version, about("The project's version after the batch.")]
    results: Annotated[list[SyncOk | SyncConflict], about("One per operation, in order.")]
    revision: Revision | None


# --- revisions and transfers -----------------------------------------------------------------
class RevisionList(Reply):
    revisions: Annotated[list[Revision], about("Newest first.")]


class RevisionFile(Reply):
    path: Path
    size: Count
    sha256: Sha256
    binary: bool


class RevisionDetail(Reply):
    revision: Revision
    files: list[RevisionFile]


class Restored(Reply):
    version: Version
    revision: Revision
    changed: Annotated[Count, about("Files written or removed.")]


Skipped = Annotated[list[Path], about("Ignored paths, not stored.")]


class Imported(Reply):
    project: Project
    skipped: Skipped


class FilesWritten(Reply):
    version: Version
    written: Count
    skipped: Skipped


# --- share links -------------------------------------------------------------------------------
class Share(Reply):
    token: str
    url: Annotated[
        str,
        about(
            "The public page, on the share origin: <share origin>/s/<token>/ "
            "(index.html at its root)."
        ),
    ]
    root: Annotated[
        str, about("The project folder served as the site root ('' for the project's root).")
    ]
    revision: Annotated[int, Meta(ge=1, description="The revision (snapshot) the link serves.")]
    project_version: Count
    current: Annotated[
        bool,
        about(
            "False once the project changed after publishing; POST .../publish updates "
            "the link to the latest."
        ),
    ]
    created_at: Timestamp
    published_at: Timestamp


class ShareList(Reply):
    shares: list[Share]


class PublicFile(Reply):
    path: str
    size: Count
    sha256: Sha256
    binary: bool
    content: str | UnsetType = UNSET


class PublicFiles(Reply):
    files: Annotated[
        list[Annotated[PublicFile, _CONTENT_IFF_TEXT]],
        about("Files under the link's root, paths relative to it; text inline."),
    ]


# --- package mirror (registry documents: the fields clients rely on; others pass through) --
class RegistryDocument(Reply):
    open_fields: ClassVar[bool] = True


class NpmDist(RegistryDocument):
    tarball: Annotated[str, about("On this mirror: /api/mirror/npm/{package}/-/{file}.tgz.")]
    integrity: Annotated[str, about("Subresource Integrity, e.g. sha512-...")] | UnsetType = UNSET
    shasum: Annotated[str, about("The tarball's sha1, hex.")] | UnsetType = UNSET


class NpmVersion(RegistryDocument):
    name: str
    version: str
    dist: NpmDist


class NpmPackument(RegistryDocument):
    name: str
    dist_tags: dict[str, str] = field(name="dist-tags")
    versions: dict[str, NpmVersion]


class SimpleMeta(RegistryDocument):
    api_version: Annotated[str, about("1.0, or 1.1 when every file has its size.")] = field(
        name="api-version"
    )


class SimpleFile(RegistryDocument):
    filename: str
    url: Annotated[str, about("On this mirror: /api/mirror/pypi/files/{project}/{file}.")]
    hashes: Annotated[dict[str, str], about("Algorithm to hex digest; sha256 at least.")]


class SimpleProject(RegistryDocument):
    """PEP 691's project page."""

    meta: SimpleMeta
    name: Annotated[str, about("PEP 503's normalised name.")]
    files: list[SimpleFile]


class SimpleProjectName(RegistryDocument):
    name: str


class SimpleIndex(RegistryDocument):
    """PEP 691's root: the projects this mirror keeps metadata of."""

    meta: SimpleMeta
    projects: list[SimpleProjectName]
