"""A review project on disk: a folder with ``review.toml`` (the protocol) and, by default, ``review.db``.

Commands find the project like git finds a repository: from the current folder upwards, or from an
explicit ``--project DIR``. The database is, in order: ``SYNTHESIST_DATABASE_URL``, ``database_url``
in review.toml (a relative SQLite path is relative to the project folder), ``review.db`` beside it.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from synthesist.errors import ProjectExists, ProjectNotFound, ProtocolError
from synthesist.review.protocol import Protocol, load_protocol, render_template

__all__ = ["DATABASE_ENV", "PROTOCOL_FILE", "Project", "find_project", "new_project_files"]

PROTOCOL_FILE = "review.toml"
DATABASE_FILE = "review.db"
DATABASE_ENV = "SYNTHESIST_DATABASE_URL"


@dataclass(frozen=True)
class Project:
    root: Path
    protocol: Protocol

    @property
    def protocol_path(self) -> Path:
        return self.root / PROTOCOL_FILE

    @property
    def database_url(self) -> str:
        return resolve_database_url(self.root, self.protocol.database_url)

    @property
    def key(self) -> str:
        return self.protocol.project_id

    @property
    def title(self) -> str:
        return self.protocol.review.title


def resolve_database_url(root: Path, configured: str | None) -> str:
    url = os.environ.get(DATABASE_ENV) or configured
    if not url:
        return f"sqlite:///{(root / DATABASE_FILE).resolve()}"
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite:///:memory:":
        return f"{prefix}{(root / url[len(prefix) :]).resolve()}"
    return url


def find_project(explicit: Path | None = None, start: Path | None = None) -> Project:
    """The project at ``explicit``, or the nearest one from ``start`` (default: cwd) upwards."""
    if explicit is not None:
        folder = explicit.expanduser()
        if folder.is_file() and folder.name == PROTOCOL_FILE:
            folder = folder.parent
        if not (folder / PROTOCOL_FILE).is_file():
            raise ProjectNotFound(
                f"{folder}: not a review project (no {PROTOCOL_FILE})",
                hint=f'Create one with: synthesist init {folder} --title "..."',
            )
        return Project(folder.resolve(), load_protocol(folder / PROTOCOL_FILE))
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROTOCOL_FILE).is_file():
            return Project(folder, load_protocol(folder / PROTOCOL_FILE))
    raise ProjectNotFound(
        f"no review project in {here} or any folder above it (no {PROTOCOL_FILE})",
        hint="Run the command inside a project folder, pass --project DIR, or create one with "
        '`synthesist init DIR --title "..."`.',
    )


def new_project_files(folder: Path, title: str | None, protocol_from: Path | None = None) -> Project:
    """Write review.toml for a new project and return the project (no database yet).

    Without ``protocol_from`` the commented template is written. With it, that protocol (e.g. one a
    team shares, or the reference review's) is validated and copied with its comments, under a new
    ``project_id`` (and ``title`` when given), so several projects can start from one protocol.
    """
    protocol_path = folder / PROTOCOL_FILE
    if protocol_path.exists():
        raise ProjectExists(
            f"{folder} already holds a review project ({PROTOCOL_FILE} exists)",
            hint="Choose another folder, or work in this one with --project.",
        )
    if protocol_from is None:
        if not title or not title.strip():
            raise ProtocolError("the review needs a title", hint='Pass --title "..."')
        text = render_template(title, f"{_slug(title)}-{secrets.token_hex(3)}")
    else:
        text = _copy_protocol(protocol_from, title)
    folder.mkdir(parents=True, exist_ok=True)
    protocol_path.write_text(text, encoding="utf-8")
    return Project(folder.resolve(), load_protocol(protocol_path))


def _copy_protocol(source: Path, title: str | None) -> str:
    import tomlkit  # only `init --protocol` copies a protocol; see render_template

    original = Protocol.load(source)
    document = tomlkit.parse(source.read_text(encoding="utf-8-sig"))
    chosen_title = title.strip() if title and title.strip() else original.review.title
    document["project_id"] = f"{_slug(chosen_title)}-{secrets.token_hex(3)}"
    review = document["review"]
    assert isinstance(review, dict)
    review["title"] = chosen_title
    text = tomlkit.dumps(document)
    Protocol.parse(text, source.name)
    return text


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-").split("-")
    return "-".join(words[:6]) or "review"
