"""The one exception tree of Synthesist.

Every exception the library raises on purpose derives from :class:`SynthesistError`.
The tree separates what the *user* can fix from what is a bug in Synthesist::

    SynthesistError                 root; never raised directly
    ├── UserError                   bad input or a refused action: adapters show the message, exit non-zero
    │   ├── ProjectNotFound         no review.toml here or above; --project points nowhere (404)
    │   ├── ProtocolError           review.toml is not valid TOML or breaks the protocol schema
    │   │   └── ProtocolEditRefused  an edit made through Synthesist breaks it: nothing written
    │   ├── ImportFileError         a file cannot be imported at all (empty, binary, wrong format, truncated)
    │   ├── InvalidRecordError      one record in a file is malformed (file:line: what is wrong)
    │   ├── StrategySyntaxError     a pasted search strategy that cannot be read (line, column: what is wrong)
    │   ├── PrismaCsvError          a PRISMA2020 CSV that cannot be read (file:line); also a ValueError
    │   ├── InconsistentCounts      PRISMA counts that break an identity of the diagram; also a ValueError
    │   ├── UnknownPlugin           a format, exporter ... name that is not registered (lists what is; 404)
    │   ├── NotFound                a record, batch ... id that does not exist (404)
    │   ├── InvalidQuery            a --where filter that cannot be understood
    │   ├── Conflict                the data as stored refuses the action: a name that exists already, a
    │   │   │                       decision already made, undone or settled, a duplicate (409)
    │   │   ├── ProjectExists       `init` into a folder that already holds a project
    │   │   ├── AlreadyImported     the same file (by content) was imported before; use --force
    │   │   ├── InvalidTransition   a step the record's state does not allow (named states; exit 5)
    │   │   ├── ChangedMeanwhile    someone changed the data a long operation read; run it again (exit 4)
    │   │   └── JobCancelled        a cancelled background job unwinds at its next step, writing nothing
    │   ├── LoginRequired           no live web session: pages redirect to the login form, scripts get 401
    │   ├── LoginFailed             wrong user name or password (never says which; 401)
    │   ├── TooManyAttempts         login refused after repeated failures (rate limit; 429, exit 6)
    │   ├── Forbidden               a member whose role does not allow the action (403, exit 7)
    │   ├── ConverterUnavailable    PNG or PDF asked for, but CairoSVG (or the cairo library) is missing
    │   ├── SourceError             a bibliographic source gave no usable answer (502)
    │   │   ├── SourceUnavailable   it kept failing (HTTP 429/5xx, the network) after every retry
    │   │   └── MalformedResponse   it answered with something other than what its API documents
    │   ├── RunInterrupted          a search run stopped before its last page; it resumes (503, exit 6)
    │   ├── DatabaseError           the database is unreachable or newer than this Synthesist (503, exit 3)
    │   └── StorageFull             the disk under the database is full or failing: nothing was written (507)
    └── (anything else)             a bug: adapters show "internal error" and the traceback

Unless the tree says otherwise a user error answers HTTP 400 and exits 1. Every 409 is a
:class:`Conflict`, so ``except Conflict`` catches each refusal that the stored state causes.

Adapters (CLI, web) translate these in exactly one place each; library code never prints.
User errors carry an ``exit_code`` (CLI) and an ``http_status`` (web) so the mapping stays data.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AlreadyImported",
    "ChangedMeanwhile",
    "Conflict",
    "ConverterUnavailable",
    "DatabaseError",
    "Forbidden",
    "ImportFileError",
    "InconsistentCounts",
    "InvalidQuery",
    "InvalidRecordError",
    "InvalidTransition",
    "JobCancelled",
    "LoginFailed",
    "LoginRequired",
    "MalformedResponse",
    "NotFound",
    "PrismaCsvError",
    "ProjectExists",
    "ProjectNotFound",
    "ProtocolEditRefused",
    "ProtocolError",
    "RunInterrupted",
    "SourceError",
    "SourceUnavailable",
    "StorageFull",
    "StrategySyntaxError",
    "SynthesistError",
    "TooManyAttempts",
    "UnknownPlugin",
    "UserError",
]


class SynthesistError(Exception):
    """Root of every exception Synthesist raises on purpose."""


class UserError(SynthesistError):
    """Something the user can fix; the message says what and how. ``field`` names the input at
    fault when one is (a service's parameter: ``"file"``, ``"reason"``, ``"new_code"``), so a web
    form can say the message beside that field and keep what was typed; a service may set it on a
    refusal raised deeper down before raising it on, keeping its type, message and exit code."""

    exit_code: int = 1
    http_status: int = 400
    field: str | None = None

    def __init__(self, message: str, *, hint: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class ReasonRefused(UserError):
    """A decision's exclusion reason is missing, unknown, or given with a vote that takes none.
    ``problem`` says which ("missing", "not an exclusion", "unknown"), so an adapter can say it
    beside its own reason field in its own words."""

    def __init__(self, message: str, *, problem: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.problem = problem


class ProjectNotFound(UserError):
    http_status = 404


class ProtocolError(UserError):
    """review.toml is invalid. ``location`` is ``file:line`` when it could be found."""

    def __init__(self, message: str, *, location: str | None = None, hint: str | None = None) -> None:
        super().__init__(f"{location}: {message}" if location else message, hint=hint)
        self.location = location


class ProtocolEditRefused(ProtocolError):
    """An edit of review.toml (made through Synthesist, not by hand) that the protocol's own checks
    refuse; nothing was written. ``problems`` maps each key path the check names, e.g.
    ``("criteria", "inclusion", 1)``, to the message the CLI would print for it, so a form can show
    each message beside its own field."""

    def __init__(
        self,
        message: str,
        *,
        problems: dict[tuple[str | int, ...], str],
        location: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, location=location, hint=hint)
        self.problems = problems


class ImportFileError(UserError):
    """The file as a whole cannot be imported."""


class InvalidRecordError(UserError):
    """One record is malformed. Message format: ``file:line: what is wrong``."""

    def __init__(self, file: str, line: int, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"{file}:{line}: {reason}", hint=hint)
        self.file = file
        self.line = line
        self.reason = reason


class UnknownPlugin(UserError):
    http_status = 404


class NotFound(UserError):
    http_status = 404


class InvalidQuery(UserError):
    pass


class StrategySyntaxError(UserError):
    """A pasted strategy that cannot be read; ``line`` and ``column`` are 1-based."""

    def __init__(self, line: int, column: int, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"line {line}, column {column}: {reason}", hint=hint)
        self.line = line
        self.column = column
        self.reason = reason


class PrismaCsvError(UserError, ValueError):
    """A PRISMA2020 CSV that cannot be read; the message starts with ``file:line``."""


class InconsistentCounts(UserError, ValueError):
    """The counts break an identity of the flow diagram; ``problems`` lists each one in plain words.

    A :class:`UserError` because hand-given counts (``prisma.toml``, a CSV) are the usual cause, and
    a ``ValueError`` because, to code that builds counts, it is a bad argument.
    """

    def __init__(
        self, problems: Sequence[str], *, source: str | None = None, hint: str | None = None
    ) -> None:
        self.problems = tuple(problems)
        self.source = source
        if len(self.problems) == 1:
            message = f"the PRISMA counts do not add up: {self.problems[0]}"
        else:
            message = "the PRISMA counts do not add up:\n" + "\n".join(f"- {p}" for p in self.problems)
        super().__init__(f"{source}: {message}" if source else message, hint=hint)


class Conflict(UserError):
    """The stored state refuses the action: it exists already, was decided, undone or settled already."""

    http_status = 409


class ProjectExists(Conflict):
    pass


class AlreadyImported(Conflict):
    pass


class ChangedMeanwhile(Conflict):
    exit_code = 4


class JobCancelled(Conflict):
    """Raised inside a background job at its next progress report once someone cancelled it: the
    service's transaction rolls back, so nothing of the job is written."""


class InvalidTransition(Conflict):
    """E.g. a full-text decision on a record excluded at title/abstract, or any decision on a duplicate."""

    exit_code = 5


class ConverterUnavailable(UserError):
    """A program or library a step needs is not installed: CairoSVG or its cairo library for PNG or PDF,
    PostgreSQL's pg_dump or pg_restore for a backup."""


class SourceError(UserError):
    """A bibliographic source did not give a usable answer."""

    http_status = 502


class SourceUnavailable(SourceError):
    """The source kept failing (HTTP 429/5xx or the network) after every retry."""


class MalformedResponse(SourceError):
    """The source answered with something other than what its API documents."""


class RunInterrupted(UserError):
    """A run stopped before all its pages were in (nothing imported; it can resume)."""

    exit_code = 6
    http_status = 503


class DatabaseError(UserError):
    exit_code = 3
    http_status = 503


class StorageFull(UserError):
    """The database could not write: its disk is full or failing. The user frees space and runs again."""

    http_status = 507  # Insufficient Storage


class LoginRequired(UserError):
    """No live session: pages redirect to the login form, scripts get 401."""

    http_status = 401


class LoginFailed(UserError):
    http_status = 401


class TooManyAttempts(UserError):
    exit_code = 6
    http_status = 429


class Forbidden(UserError):
    """The web app answers 404 instead for people who are not members of the project at all."""

    exit_code = 7
    http_status = 403
