"""The field types the models are made of. Each states its bounds once, in a msgspec.Meta:
the decoder enforces them and the OpenAPI document shows them (msgspec.json.schema).

Text fields carry a `Text` rule as well, which server/bodies.py applies to a body's own
fields after decoding: the checks JSON Schema cannot say exactly (stripping before the
length counts, Unicode control characters, UTF-8 a JSON escape can break). Their schema is
made from the rule.

Project paths are checked by contract/rules.py, which gives a reason for each refusal; the
schema states the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from msgspec import Meta

from server import limits
from server.models.refusals import invalid
from server.sync_rules import RULES

# Unicode Cc (C0, DEL, C1): what a one-line field refuses; a multiline one allows tab and LF.
NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTILINE = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
# RULES.normalise: relative, '/'-separated, no empty segment, backslash or control character.
PATH_PATTERN = r"^[^/\\\x00-\x1f\x7f-\x9f]+(?:/[^/\\\x00-\x1f\x7f-\x9f]+)*$"
EMAIL_FORM = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Text:
    """How a string field is checked once decoded. A `secret` (a password) is taken exactly
    as sent; any other text is refused with control characters (tab and newline allowed
    when `multiline`), then stripped, and its length counted after that."""

    max_length: int
    min_length: int = 0
    multiline: bool = False
    secret: bool = False
    lower: bool = False
    form: re.Pattern[str] | None = None  # what the whole value must match, after stripping

    def check(self, field: str, value: str) -> str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, which a JSON \u escape can carry
            raise invalid(field, f"'{field}' is not valid UTF-8.") from None
        if not self.secret:
            allowed = "\t\n" if self.multiline else ""
            if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
                raise invalid(
                    field,
                    f"'{field}' contains control characters"
                    + ("." if self.multiline else " (it must be a single line)."),
                )
            value = value.strip()
        if self.lower:
            value = value.lower()
        if len(value) < self.min_length:
            raise invalid(field, f"'{field}' must have at least {self.min_length} characters.")
        if len(value) > self.max_length:
            raise invalid(field, f"'{field}' must have at most {self.max_length} characters.")
        if self.form is not None and not self.form.fullmatch(value):
            raise invalid(field, f"'{field}' is not an email address.")
        return value

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"maxLength": self.max_length}
        if self.min_length:
            schema["minLength"] = self.min_length
        if not self.secret:
            schema["pattern"] = MULTILINE if self.multiline else NO_CONTROL
        if self.form is not None:
            schema["format"] = "email"
        return schema


def about(description: str) -> Meta:
    return Meta(description=description)


def text(max_length: int, min_length: int = 0, *, description: str, **rule: Any) -> Meta:
    """The Meta of a text field: its rule for the decoder, its schema for the document."""
    checked = Text(max_length, min_length, **rule)
    return Meta(
        description=description, extra_json_schema=checked.schema(), extra={"text": checked}
    )


# --- numbers, hashes, times ------------------------------------------------------------------
Version = Annotated[int, Meta(ge=0, le=limits.MAX_VERSION)]
Count = Annotated[int, Meta(ge=0)]
Sha256 = Annotated[str, Meta(pattern="^[0-9a-f]{64}$", description="Lowercase hex.")]
Timestamp = Annotated[str, Meta(extra_json_schema={"format": "date-time"})]
Uuid = Annotated[str, Meta(extra_json_schema={"format": "uuid"})]

# --- project paths: refused with code invalid_path, the reason from RULES.normalise ----------
Path = Annotated[
    str,
    Meta(
        description=(
            "A project-relative path: '/'-separated, no leading '/', no empty, '.' or '..' "
            "segments, no backslash or control characters; stored in Unicode NFC, where it "
            f"has at most {RULES.max_path_bytes} UTF-8 bytes and each name at most "
            f"{RULES.max_segment_bytes}. Paths inside an ignored folder or named like an env "
            "file (contract/sync_rules.json, case-insensitive) are refused (422 ignored_path). "
            "Two paths differing only by case cannot coexist (409 case_conflict)."
        ),
        extra_json_schema={
            "minLength": 1,
            "maxLength": RULES.max_path_bytes,
            "pattern": PATH_PATTERN,
        },
        extra={"code": "invalid_path"},
    ),
]

# --- text -------------------------------------------------------------------------------------
Name = Annotated[
    str, text(limits.NAME, 1, description="One line; stripped, then 1 to 100 characters.")
]
DisplayName = Annotated[str, text(limits.NAME, description="Stripped; at most 100 characters.")]
Description = Annotated[
    str,
    text(
        limits.DESCRIPTION,
        multiline=True,
        description="Stripped, then at most 2000 characters; tabs and newlines allowed.",
    ),
]
Message = Annotated[
    str, text(limits.MESSAGE, description="One line; stripped, then at most 500 characters.")
]
NewEmail = Annotated[
    str,
    text(
        limits.EMAIL,
        lower=True,
        form=EMAIL_FORM,
        description="Must look like name@host.tld. Compared case-insensitively; stored "
        "lowercased and stripped.",
    ),
]
Email = Annotated[str, text(limits.EMAIL, lower=True, description="Stripped and lowercased.")]
NewPassword = Annotated[
    str,
    text(
        limits.PASSWORD_MAX,
        limits.PASSWORD_MIN,
        secret=True,
        description="Taken exactly as sent.",
    ),
]
Password = Annotated[
    str, text(limits.PASSWORD_MAX, secret=True, description="Taken exactly as sent.")
]
ShareRoot = Annotated[
    str,
    text(
        limits.SHARE_ROOT,
        description="A folder of the project to serve as the site root (a built output "
        "folder); default the project's root.",
    ),
]
