"""The one exception tree of Synthesist.

Every exception the library raises on purpose derives from :class:`SynthesistError`.
The tree separates what the *user* can fix from what is a bug in Synthesist::

    SynthesistError                 root; never raised directly
    ├── UserError                   bad input or a refused action: adapters show the message, exit non-zero
    │   ├── ProjectNotFound         no review.toml here or above; --project points nowhere
    │   ├── ProjectExists           `init` into a folder that already holds a project
    │   ├── ProtocolError           review.toml is not valid TOML or breaks the protocol schema
    │   ├── ImportFileError         a file cannot be imported at all (empty, binary, wrong format, truncated)
    │   ├── InvalidRecordError      one record in a file is malformed (file:line: what is wrong)
    │   ├── AlreadyImported         the same file (by content) was imported before; use --force
    │   ├── UnknownPlugin           a format, exporter ... name that is not registered (lists what is)
    │   ├── NotFound                a record, batch ... id that does not exist
    │   ├── InvalidQuery            a --where filter that cannot be understood
    │   ├── ChangedMeanwhile        someone changed the data a long operation read; run it again
    │   ├── InvalidTransition       a review step that the record's state does not allow (named states)
    │   ├── LoginFailed             wrong user name or password (never says which)
    │   ├── TooManyAttempts         login refused after repeated failures (rate limit)
    │   ├── Forbidden               a member whose role does not allow the action
    │   ├── DatabaseError           the database cannot be reached or is newer than this Synthesist
    │   └── StorageFull             the disk under the database is full or failing: nothing was written
    └── (anything else)             a bug: adapters show "internal error" and the traceback

Adapters (CLI, web) translate these in exactly one place each; library code never prints.
User errors carry an ``exit_code`` (CLI) and an ``http_status`` (web) so the mapping stays data.
"""

from __future__ import annotations

__all__ = [
    "AlreadyImported",
    "ChangedMeanwhile",
    "DatabaseError",
    "Forbidden",
    "ImportFileError",
    "InvalidQuery",
    "InvalidRecordError",
    "InvalidTransition",
    "LoginFailed",
    "NotFound",
    "ProjectExists",
    "ProjectNotFound",
    "ProtocolError",
    "StorageFull",
    "SynthesistError",
    "TooManyAttempts",
    "UnknownPlugin",
    "UserError",
]


class SynthesistError(Exception):
    """Root of every exception Synthesist raises on purpose."""


class UserError(SynthesistError):
    """Something the user can fix; the message says what and how."""

    exit_code: int = 1
    http_status: int = 400

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class ProjectNotFound(UserError):
    http_status = 404


class ProjectExists(UserError):
    http_status = 409


class ProtocolError(UserError):
    """review.toml is invalid. ``location`` is ``file:line`` when it could be found."""

    def __init__(self, message: str, *, location: str | None = None, hint: str | None = None) -> None:
        super().__init__(f"{location}: {message}" if location else message, hint=hint)
        self.location = location


class ImportFileError(UserError):
    """The file as a whole cannot be imported."""


class InvalidRecordError(UserError):
    """One record is malformed. Message format: ``file:line: what is wrong``."""

    def __init__(self, file: str, line: int, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"{file}:{line}: {reason}", hint=hint)
        self.file = file
        self.line = line
        self.reason = reason


class AlreadyImported(UserError):
    http_status = 409


class UnknownPlugin(UserError):
    http_status = 404


class NotFound(UserError):
    http_status = 404


class InvalidQuery(UserError):
    pass


class ChangedMeanwhile(UserError):
    exit_code = 4
    http_status = 409


class InvalidTransition(UserError):
    """E.g. a full-text decision on a record excluded at title/abstract, or any decision on a duplicate."""

    exit_code = 5
    http_status = 409


class DatabaseError(UserError):
    exit_code = 3
    http_status = 503


class StorageFull(UserError):
    """The database could not write: its disk is full or failing. The user frees space and runs again."""

    http_status = 507  # Insufficient Storage


class LoginFailed(UserError):
    http_status = 401


class TooManyAttempts(UserError):
    exit_code = 6
    http_status = 429


class Forbidden(UserError):
    """The web app answers 404 instead for people who are not members of the project at all."""

    exit_code = 7
    http_status = 403
