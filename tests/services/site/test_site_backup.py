"""A site backed up, wiped and restored: its reviews (folders and rows), records, users, memberships
and administrators all come back; a damaged archive or a non-empty folder writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from synthesist.errors import Conflict, ImportFileError
from synthesist.review.project import DATABASE_ENV
from synthesist.review.site import load_site
from synthesist.services.accounts.users import authenticate, list_users, members
from synthesist.services.site import is_site_admin, list_reviews, open_site_review
from synthesist.services.site.backup import restore_site, write_site_backup
from synthesist.workspace import open_accounts
from tests import postgres_databases
from tests.site_helpers import PASSWORD, make_site, populate


def test_a_site_is_backed_up_wiped_and_restored_whole(
    tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site"
    accounts = make_site(folder, database_url)
    try:
        key_a, key_b = populate(accounts)
        (folder / "reviews" / key_a / "fulltext").mkdir()
        (folder / "reviews" / key_a / "fulltext" / "paper.txt").write_text("full text", encoding="utf-8")
        archive = tmp_path / "site-backup.tar.gz"
        with archive.open("wb") as handle:
            summary = write_site_backup(accounts, handle)
    finally:
        accounts.close()
    assert summary.reviews == 2
    assert summary.databases == (3 if database_url is None else 1)  # site.db + a review.db each

    shutil.rmtree(folder)  # the wipe
    if database_url is None:
        restored = restore_site(archive, folder)
        _check(folder, key_a, key_b)
        assert restored.reviews == [key_a, key_b] and restored.users == 3 and restored.records == 12
        return
    with postgres_databases.postgres_database() as fresh:  # the old database is gone with the server
        monkeypatch.setenv(DATABASE_ENV, fresh)
        restored = restore_site(archive, folder, database_url=fresh)
        assert load_site(folder).database_url == fresh
        _check(folder, key_a, key_b)
        assert restored.records == 12


def _check(folder: Path, key_a: str, key_b: str) -> None:
    accounts = open_accounts(load_site(folder), "tester")
    try:
        assert [review.key for review in list_reviews(accounts)] == [key_a, key_b]
        assert {user.name for user in list_users(accounts)} == {"olwen", "aoife", "lukasz"}
        assert authenticate(accounts, "aoife", PASSWORD, address="x").display_name == "Aoife"
        assert is_site_admin(accounts, "olwen")
        workspace = open_site_review(accounts, key_a)
        assert workspace is not None
        try:
            with workspace.unit_of_work(write=False) as uow:
                assert uow.records.count() == 12
            assert {m.user: m.role for m in members(workspace)} == {"olwen": "owner", "aoife": "reviewer"}
            paper = workspace.project.root / "fulltext" / "paper.txt"
            assert paper.read_text(encoding="utf-8") == "full text"
        finally:
            workspace.close()
        with accounts.unit_of_work(write=False) as uow:
            assert uow.events.list()[-1].type == "project.restored"
    finally:
        accounts.close()


def test_a_restore_refuses_a_non_empty_folder_and_a_project_backup(tmp_path: Path) -> None:
    accounts = make_site(tmp_path / "site", None)
    try:
        populate(accounts)
        archive = tmp_path / "site.tar.gz"
        with archive.open("wb") as handle:
            write_site_backup(accounts, handle)
    finally:
        accounts.close()
    with pytest.raises(Conflict, match="not empty"):
        restore_site(archive, tmp_path / "site")
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(ImportFileError):
        restore_site(damaged, tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere").exists()
