"""The JSON request bodies. Fields a body does not name are ignored, as they always were;
the models are closed all the same (forbid_unknown_fields), so that msgspec's fast decoder
takes only what they bound and leaves anything else to the careful path (server/bodies.py).
The document shows them open (`open_fields`). A sync's operations are open throughout.

What a model cannot say (a path's reasons, content and parts, edits in order) is checked by
the code that reads it: server/sync_ops.py for operations, the routes for the rest.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from msgspec import UNSET, Meta, Struct, UnsetType

from server import limits, templates
from server.models.fields import (
    Count,
    Description,
    DisplayName,
    Email,
    Message,
    Name,
    NewEmail,
    NewPassword,
    Password,
    Path,
    ShareRoot,
    Version,
    about,
)


class Body(Struct, forbid_unknown_fields=True, kw_only=True):
    max_bytes: ClassVar[int] = limits.SMALL_BODY  # 413 past this
    may_be_empty: ClassVar[bool] = False  # an empty body means {} (every field is optional)
    numbered: ClassVar[str] = ""  # a list field whose refusals name the item ("Operation 2")
    schema_extra: ClassVar[dict[str, Any]] = {}  # what JSON Schema says that types cannot
    open_fields: ClassVar[bool] = True  # the document: fields it does not name are ignored


# --- accounts --------------------------------------------------------------------------------
class SignUp(Body):
    email: NewEmail
    password: NewPassword
    display_name: DisplayName | None = None


class SignIn(Body):
    email: Email
    password: Password


class PasswordChange(Body):
    current_password: Password
    new_password: NewPassword


class AccountDeletion(Body):
    password: Password


# --- projects --------------------------------------------------------------------------------
TemplateId = Annotated[
    str,
    Meta(
        description="A template id from GET /api/templates.",
        extra_json_schema={"enum": sorted(templates.catalogue())},
    ),
]


class NewProject(Body):
    max_bytes = limits.PROJECT_BODY
    name: Name
    description: Description | None = None
    template: TemplateId | None = None


class ProjectChange(Body):
    """At least one of name and description (null counts as absent)."""

    max_bytes = limits.PROJECT_BODY
    schema_extra = {"anyOf": [{"required": ["name"]}, {"required": ["description"]}]}
    name: Name | None = None
    description: Description | None = None


class Duplication(Body):
    max_bytes, may_be_empty = limits.PROJECT_BODY, True
    name: Annotated[Name | None, about("Default: the source's name + ' (copy)'.")] = None


class NewRevision(Body):
    may_be_empty = True
    message: Message | None = None


class NewShare(Body):
    may_be_empty = True
    root: ShareRoot | None = None


class ImportQuery(Struct, kw_only=True):
    """POST /api/projects/import's query string; other parameters are ignored."""

    name: Annotated[Name, about("The new project's name, as in POST /api/projects.")]


# --- sync: a batch of operations ---------------------------------------------------------
Base = Annotated[Version, about("The version the client last saw of this path.")]


class Op(Struct, tag_field="op", kw_only=True):
    path: Path


class PutOp(Op, tag="put"):
    """Exactly one of content (text) and content_ref (a file part of a multipart sync)."""

    schema_extra: ClassVar[dict[str, Any]] = {
        "oneOf": [{"required": ["content"]}, {"required": ["content_ref"]}]
    }
    base_version: Annotated[Version | None, about("Absent or null: a new file.")] = None
    content: Annotated[str, about("UTF-8 text without NUL.")] | UnsetType = UNSET
    content_ref: Annotated[str, about("The name of a file part of this request.")] | UnsetType = (
        UNSET
    )
    binary: Annotated[
        bool | None,
        about("Absent or null: binary unless the bytes are UTF-8 without NUL."),
    ] = None


class Edit(Struct, kw_only=True):
    start: Annotated[Count, about("Character offset into the base text.")]
    end: Annotated[Count, about("End offset (exclusive); start <= end.")]
    text: Annotated[str, about("What replaces the range (empty: a deletion).")] = ""


class PatchOp(Op, tag="patch"):
    base_version: Base
    edits: Annotated[
        list[Edit],
        Meta(
            min_length=1,
            max_length=limits.MAX_EDITS,
            description="Sorted, non-overlapping edits of the text at base_version.",
        ),
    ]


class DeleteOp(Op, tag="delete"):
    base_version: Base


class RenameOp(Op, tag="rename"):
    to: Annotated[Path, Meta(extra={"absent": "a rename needs 'to', the file's new path"})]
    base_version: Base


class SyncRequest(Body):
    max_bytes, numbered = limits.SYNC_BODY, "ops"
    ops: Annotated[
        list[PutOp | PatchOp | DeleteOp | RenameOp],
        Meta(max_length=limits.MAX_OPS, extra={"too_long": "too_many_ops"}),  # a 413
    ]
    revision_message: Annotated[
        Message | None, about("When given, a revision is recorded after the batch.")
    ] = None
