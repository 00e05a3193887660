"""Writing review.toml from Synthesist: one section at a time, checked, atomic, logged.

review.toml stays the protocol's source: a team versions and diffs it, and the CLI reads it on every
command. So an edit is made to the text itself (tomlkit keeps its comments and layout), the whole new
text is checked by the very function the CLI uses (:meth:`Protocol.parse`, whose messages are the
CLI's), and only a text that passes replaces the file, in one ``os.replace`` (a reader sees the old
file or the new one, never half of each). The ``protocol.edited`` event is written in a transaction
that commits after the file is in place; if that commit fails the old file is put back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import ValidationError

from synthesist.errors import ChangedMeanwhile, ProtocolEditRefused, ProtocolError
from synthesist.events import ProtocolEdited
from synthesist.ports import UnitOfWork
from synthesist.review.project import Project
from synthesist.review.protocol import Protocol
from synthesist.services.protocol_edit.reload import remember
from synthesist.toml_errors import KeyProblem, describe_validation_error, render_key_path
from synthesist.toml_lines import KeyPath
from synthesist.workspace import Workspace

__all__ = ["edit_protocol", "field_problems", "read_protocol_text", "section_version"]

Change = Callable[[tomlkit.TOMLDocument], None]

# The keys a section's form edits: its version is theirs, so two owners editing different
# sections at once do not refuse each other's edit.
SECTION_KEYS: dict[str, tuple[KeyPath, ...]] = {
    "review": (("review",),),
    "search": (("search",),),
    "criteria": (("criteria",), ("screening", "exclusion_reasons")),
    "screening": (
        ("screening", "title_abstract"),
        ("screening", "full_text"),
        ("screening", "highlight_include"),
        ("screening", "highlight_exclude"),
    ),
    "extraction": (("extraction", "mode"), ("extraction", "fields")),
    "appraisal": (("appraisal",),),
    "codebook": (("codebook", "themes"),),
    "duties": (
        ("screening", "title_abstract", "reviewers"),
        ("screening", "full_text", "reviewers"),
        ("extraction", "reviewers"),
        ("appraisal", "reviewers"),
        ("synthesis", "coders"),
    ),
}
_MAX_CHANGES = 20
_MAX_SHOWN = 60
_BOM = "\ufeff"


def read_protocol_text(project: Project) -> str:
    """review.toml as text (a byte-order mark, which Windows editors may add, is left out)."""
    return project.protocol_path.read_bytes().decode("utf-8-sig")


def section_version(text: str, section: str) -> str:
    """A short fingerprint of what ``section``'s form shows; a form carries the one it was shown
    with, and an edit made from an older one is refused instead of silently undoing another's."""
    data = tomllib.loads(text)
    keys = SECTION_KEYS.get(section, ((),))
    shown = [_lookup(data, path) for path in keys]
    encoded = json.dumps(shown, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def edit_protocol(
    workspace: Workspace, section: str, change: Change, *, expected_version: str | None = None
) -> Project:
    """Apply ``change`` to review.toml, check the result as the CLI would, write it and log it.

    A result the protocol's checks refuse raises :class:`ProtocolEditRefused` (every problem with
    its key path) and writes nothing; an unchanged result writes and logs nothing. Returns the
    project as reloaded, and the workspace holds it from then on.
    """
    project = workspace.project
    path = project.protocol_path
    with _locked(project):
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        before = Protocol.parse(text, path.name)  # a file broken by hand is fixed by hand first
        if expected_version is not None and section_version(text, section) != expected_version:
            raise ChangedMeanwhile(
                f"the {section} section of review.toml was changed by someone else since you opened it",
                hint="Reload the page to see the current protocol, then make your change again.",
            )
        document = tomlkit.parse(text)
        change(document)
        new_text = tomlkit.dumps(document)
        if new_text == text:
            return project
        protocol = _checked(new_text, path.name)
        for key, value in (("project_id", before.project_id), ("database_url", before.database_url)):
            if getattr(protocol, key) != value:
                raise ProtocolEditRefused(
                    f"{key} cannot be changed here",
                    problems={(key,): f"{key} cannot be changed here"},
                    hint="It names the review's database; it is written once, when the project is made.",
                )
        encoded = ((_BOM if raw.startswith(_BOM.encode()) else "") + new_text).encode("utf-8")
        changes = describe_changes(tomllib.loads(text), tomllib.loads(new_text))
        event = ProtocolEdited(section, changes, hashlib.sha256(encoded).hexdigest())
        title = protocol.review.title
        retitled = title if title != before.review.title else None
        with _registry_and_log(workspace, retitled is not None) as (registry, uow):
            uow.events.append(event, workspace.actor)
            if retitled is not None:
                registry.site.set_title(retitled)
            _replace(path, encoded)
            try:
                uow.commit()
            except BaseException:
                _replace(path, raw)  # the log did not take the edit: neither does the file
                raise
            if registry is not uow:
                # a review on SQLite in a site: its log and the site's registry are two files, so
                # this commits just after; should it fail, the next opening of the review (any CLI
                # command, a server start) writes the title again (Storage.bound_to)
                registry.commit()
    edited = Project(project.root, protocol)
    remember(edited)
    workspace.project = edited
    return edited


def _checked(text: str, file_name: str) -> Protocol:
    try:
        return Protocol.parse(text, file_name)
    except ProtocolError as error:
        problems = field_problems(text)
        if not problems:  # not a schema problem (TOML syntax): the CLI's message as a whole
            raise ProtocolEditRefused(error.message, problems={(): error.message}, hint=error.hint) from None
        raise ProtocolEditRefused(
            "\n".join(problem.message for problem in problems),
            problems={problem.path: problem.message for problem in problems},
            hint="Nothing was saved. Correct the fields marked and save again.",
        ) from None


def field_problems(text: str) -> list[KeyProblem]:
    """Every problem the protocol check finds in ``text``, each with its key path and the CLI's
    message (:func:`describe_validation_error`, which :meth:`Protocol.parse` reports through)."""
    try:
        data = tomllib.loads(text)
        Protocol.model_validate(data)
    except tomllib.TOMLDecodeError:
        return []
    except ValidationError as exc:
        return describe_validation_error(exc, Protocol, data, text)
    return []


@contextlib.contextmanager
def _registry_and_log(workspace: Workspace, retitled: bool) -> Iterator[tuple[UnitOfWork, UnitOfWork]]:
    """The units of work for the review's registry row (the title the home page and the
    administrators' list show) and for its log: one when they share a database (a review on its
    own, or on a PostgreSQL site), else the registry's opened first, as the jobs do, so two
    writers never wait on each other's SQLite lock in opposite orders."""
    accounts, own = workspace.accounts.storage, workspace.storage
    if not retitled or (accounts.engine is own.engine and accounts.project_id == own.project_id):
        with workspace.unit_of_work() as uow:
            yield uow, uow
        return
    with workspace.accounts.unit_of_work() as registry, workspace.unit_of_work() as log:
        yield registry, log


@contextlib.contextmanager
def _locked(project: Project) -> Iterator[None]:
    """One edit of a review's protocol at a time, across the web app's processes (read, change and
    write must not interleave, or one owner's edit would drop another's)."""
    folder = project.root / ".synthesist"
    folder.mkdir(exist_ok=True)
    with open(folder / "protocol.lock", "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: one process per review there; nothing to serialise against
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _replace(path: Path, content: bytes) -> None:
    """Write ``content`` to a new file beside ``path`` and move it over ``path`` in one step."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# -- what changed, for the log ------------------------------------------------------------------------


def describe_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """``key: before → after`` for each setting that differs (lists of tables element by element)."""
    lines: list[str] = []
    _diff(before, after, (), lines)
    if len(lines) > _MAX_CHANGES:
        lines = [*lines[: _MAX_CHANGES - 1], f"and {len(lines) - _MAX_CHANGES + 1} more changes"]
    return lines


def _diff(before: Any, after: Any, path: KeyPath, lines: list[str]) -> None:
    if before == after:
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(key for key in after if key not in before)]:
            _diff(before.get(key, _ABSENT), after.get(key, _ABSENT), (*path, key), lines)
        return
    if _is_tables(before) and _is_tables(after):
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else _ABSENT
            new = after[index] if index < len(after) else _ABSENT
            _diff(old, new, (*path, index), lines)
        return
    lines.append(f"{render_key_path(path)}: {_shown(before)} → {_shown(after)}")


class _Absent:
    pass


_ABSENT = _Absent()


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _shown(value: Any) -> str:
    if isinstance(value, _Absent):
        return "(none)"
    if isinstance(value, dict):
        return "(a table)"
    if isinstance(value, str | int | float | bool | date | datetime | list):
        try:
            text = tomlkit.item(value).as_string()
        except (TypeError, ValueError):
            text = repr(value)
    else:
        text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _lookup(data: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        else:
            return None
    return data
