"""``synthesist backup`` and ``synthesist restore``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from synthesist.cli.common import ProjectOption, console, open_project
from synthesist.cli.files import private_binary_file
from synthesist.errors import UserError
from synthesist.services.backup import restore_backup, write_backup
from synthesist.wording import plural

__all__ = ["register"]


def backup(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The archive to write (default: PROJECT-ID-DATE.tar.gz here)."),
    ] = None,
    project: ProjectOption = None,
    site: Annotated[
        Path | None,
        typer.Option(
            "--site",
            help="Back up a whole site instead: its settings, every review's folder and database, "
            "and the accounts.",
        ),
    ] = None,
) -> None:
    """Back the project up into one archive: review.toml, full texts, uploaded exports, every other file
    of the folder, and a consistent copy of the database (taken while the project may be in use).

    Example: synthesist backup -o ~/backups/back-pain.tar.gz

    Example, a whole site: synthesist backup --site /srv/synthesist -o /backups/site.tar.gz
    """
    if site is not None:
        _backup_site(site, output)
        return
    with open_project(project) as workspace:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = output or Path(f"{workspace.project.key}-{stamp}.tar.gz")
        with private_binary_file(target) as handle:
            summary = write_backup(workspace, handle, skip=target)
    console.print(
        f"Backed up {plural(summary.files, 'file')} and the {summary.database} database "
        f"({summary.bytes / 1e6:,.1f} MB before compression) to {target}. "
        f"Restore with: synthesist restore {target} FOLDER"
    )


def restore(
    archive: Annotated[Path, typer.Argument(help="A backup written by `synthesist backup`.")],
    folder: Annotated[
        Path | None, typer.Argument(help="A new (or empty) folder for the project (not with --site).")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="An empty PostgreSQL database to restore into (default: where the backup's review.toml "
            "points, or review.db in the folder).",
        ),
    ] = None,
    site: Annotated[
        Path | None,
        typer.Option(
            "--site", help="Restore a site's backup (from backup --site) into this new or empty folder."
        ),
    ] = None,
) -> None:
    """Restore a project from a backup into a new folder; every file is checked against the backup's
    checksums before anything is written, and an older backup is brought up to date.

    Example: synthesist restore back-pain-20261207-101500.tar.gz restored-review

    Example, a whole site: synthesist restore /backups/site.tar.gz --site /srv/synthesist
    """
    if site is not None:
        _restore_site(archive, site, folder, database_url)
        return
    if folder is None:
        raise UserError("give the folder to restore into", hint="synthesist restore ARCHIVE FOLDER")
    summary = restore_backup(archive, folder, database_url=database_url)
    console.print(
        f"Restored {plural(summary.files, 'file')} and the {summary.database} database "
        f"({plural(summary.records, 'record')}, {plural(summary.events, 'event')}) "
        f"into {summary.folder}, as backed up {summary.taken_at}."
    )


def _backup_site(folder: Path, output: Path | None) -> None:
    from synthesist.cli.site.commands import open_site
    from synthesist.services.site.backup import write_site_backup

    with open_site(folder) as accounts:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = output or Path(f"site-{stamp}.tar.gz")
        with private_binary_file(target) as handle:
            summary = write_site_backup(accounts, handle, skip=target)
    console.print(
        f"Backed up the site: {plural(summary.reviews, 'review')}, {plural(summary.files, 'file')} and "
        f"{plural(summary.databases, 'database')} ({summary.database}; {summary.bytes / 1e6:,.1f} MB before "
        f"compression) to {target}. Restore with: synthesist restore {target} --site FOLDER"
    )


def _restore_site(archive: Path, site: Path, folder: Path | None, database_url: str | None) -> None:
    from synthesist.services.site.backup import restore_site

    if folder is not None:
        raise UserError(
            "with --site, the site's folder is --site's", hint="synthesist restore ARCHIVE --site DIR"
        )
    summary = restore_site(archive, site, database_url=database_url)
    console.print(
        f"Restored the site into {summary.folder}: {plural(len(summary.reviews), 'review')}, "
        f"{plural(summary.users, 'user')}, {plural(summary.records, 'record')}, "
        f"as backed up {summary.taken_at}. "
        f"Serve it: synthesist serve --site {summary.folder}"
    )


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
