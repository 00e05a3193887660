"""A site: a folder that hosts many reviews for one team server (``site.toml``).

    /srv/synthesist/            the site's folder
        site.toml               its settings (below)
        site.db                 accounts, memberships, invitations, jobs (SQLite, the default)
        queue.db                the task queue's own file (SQLite, the default)
        reviews/<key>/          each review's folder: review.toml, review.db, uploads, full texts

On PostgreSQL, ``database_url`` names one database that holds the accounts and every review created
on the site; on SQLite each review keeps its own ``review.db`` (so that reviews do not queue behind
one write lock) and ``site.db`` holds the accounts and a registry row per review. A review's folder is
an ordinary project: the CLI works on it with ``--project`` as on any other, and finds the site's
accounts by looking for ``site.toml`` above it, as git finds a repository.

Pure: reads and writes the settings file only.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from synthesist.errors import ProjectExists, ProjectNotFound, ProtocolError

__all__ = [
    "REVIEWS_FOLDER",
    "SITE_DATABASE_ENV",
    "SITE_FILE",
    "Site",
    "find_site",
    "load_site",
    "new_site_files",
]

SITE_FILE = "site.toml"
REVIEWS_FOLDER = "reviews"
SITE_DATABASE_ENV = "SYNTHESIST_SITE_DATABASE_URL"
_KNOWN_KEYS = {"name", "database_url", "queue_url", "public_url", "smtp", "allow_new_reviews"}

_TEMPLATE = """\
# A Synthesist site: the team server's settings. `synthesist serve --site {folder}` serves every
# review in reviews/; `synthesist site add DIR` brings an existing review folder in.

name = {name}

# Where accounts, memberships, invitations and jobs live. Default: site.db in this folder (SQLite,
# each review keeping its own review.db). For PostgreSQL, one database holds the accounts and every
# review created on the site, e.g. "postgresql://synthesist@localhost/synthesist".
# database_url = "postgresql://synthesist@localhost/synthesist"

# The task queue the background jobs go through. Default: queue.db in this folder (SQLite; the
# workers are processes that `synthesist serve` starts). Across machines: "redis://host:6379/0", or
# the PostgreSQL database above, and `synthesist worker --site DIR` on each worker machine. Sites
# that share one Redis or PostgreSQL database name their queues apart with "#name" at the end.
# queue_url = "redis://localhost:6379/0"

# The address people reach the site at, for the links in invitations (default: the request's own).
# public_url = "https://reviews.example.org"

# Whether any signed-in user may create a review (false: site administrators only).
allow_new_reviews = true

# E-mail for invitations and password resets; without it, pages show the link to copy and send.
# [smtp]
# host = "smtp.example.org"
# port = 587
# user = "reviews@example.org"
# password_env = "SYNTHESIST_SMTP_PASSWORD"   # the password is read from this environment variable
# from = "Synthesist <reviews@example.org>"
"""


@dataclass(frozen=True)
class Site:
    root: Path
    name: str
    configured_database_url: str | None = None
    configured_queue_url: str | None = None
    public_url: str | None = None
    allow_new_reviews: bool = True
    smtp: dict[str, object] | None = None

    @property
    def settings_path(self) -> Path:
        return self.root / SITE_FILE

    @property
    def reviews_folder(self) -> Path:
        return self.root / REVIEWS_FOLDER

    @property
    def database_url(self) -> str:
        url = os.environ.get(SITE_DATABASE_ENV) or self.configured_database_url
        return url or f"sqlite:///{(self.root / 'site.db').resolve()}"

    @property
    def queue_url(self) -> str:
        """The task queue's address: configured, else a SQLite file beside the site's settings."""
        return self.configured_queue_url or f"sqlite:///{(self.root / 'queue.db').resolve()}"

    @property
    def shares_review_database(self) -> bool:
        """Whether reviews created here live in the site's own database (PostgreSQL) rather than a
        review.db of their own (SQLite)."""
        return not self.database_url.startswith("sqlite")

    def review_folder(self, key: str) -> Path:
        return self.reviews_folder / key


def load_site(folder: Path) -> Site:
    path = folder / SITE_FILE
    if not path.is_file():
        raise ProjectNotFound(
            f"{folder}: not a Synthesist site (no {SITE_FILE})",
            hint=f"Create one with: synthesist site init {folder}",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProtocolError(
            f"{path}: {exc}", hint="Fix the file; `synthesist site init` writes a fresh one."
        ) from exc
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise ProtocolError(
            f"{path}: unknown setting(s) {', '.join(unknown)}",
            hint=f"Known settings: {', '.join(sorted(_KNOWN_KEYS))}.",
        )
    for key in ("name", "database_url", "queue_url", "public_url"):
        if key in data and not isinstance(data[key], str):
            raise ProtocolError(f"{path}: {key} must be text in quotes")
    allow = data.get("allow_new_reviews", True)
    if not isinstance(allow, bool):
        raise ProtocolError(f"{path}: allow_new_reviews must be true or false")
    smtp = data.get("smtp")
    if smtp is not None and (not isinstance(smtp, dict) or not isinstance(smtp.get("host"), str)):
        raise ProtocolError(f'{path}: [smtp] needs host = "..."', hint="Or remove the [smtp] table.")
    database_url = data.get("database_url")
    if database_url and database_url.startswith("sqlite:///") and not database_url.startswith("sqlite:////"):
        database_url = f"sqlite:///{(folder / database_url[len('sqlite:///') :]).resolve()}"
    return Site(
        root=folder.resolve(),
        name=data.get("name") or folder.resolve().name,
        configured_database_url=database_url,
        configured_queue_url=data.get("queue_url"),
        public_url=(data.get("public_url") or "").rstrip("/") or None,
        allow_new_reviews=allow,
        smtp=smtp,
    )


def find_site(start: Path) -> Site | None:
    """The site whose ``reviews/`` folder holds ``start`` (a review's folder), if any."""
    here = start.resolve()
    for folder in here.parents:
        if folder.name == REVIEWS_FOLDER and (folder.parent / SITE_FILE).is_file():
            return load_site(folder.parent)
    return None


def new_site_files(folder: Path, name: str | None, database_url: str | None = None) -> Site:
    path = folder / SITE_FILE
    if path.exists():
        raise ProjectExists(
            f"{folder} already holds a site ({SITE_FILE} exists)",
            hint="Serve it: synthesist serve --site DIR",
        )
    folder.mkdir(parents=True, exist_ok=True)
    shown = (name or folder.resolve().name).replace("\\", "\\\\").replace('"', '\\"')
    text = _TEMPLATE.format(folder=folder, name=f'"{shown}"')
    if database_url:
        text = text.replace(
            '# database_url = "postgresql://synthesist@localhost/synthesist"',
            f'database_url = "{database_url}"',
        )
    path.write_text(text, encoding="utf-8")
    (folder / REVIEWS_FOLDER).mkdir(exist_ok=True)
    return load_site(folder)
