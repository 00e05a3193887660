"""A site's services on SQLite and PostgreSQL: creating reviews (blank, from the worked example, from
an uploaded review.toml), the registry, administrators, and bringing an existing review in with its
accounts (``site add``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import Conflict, Forbidden, ProtocolError
from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.review.site import find_site
from synthesist.services.accounts.users import add_member, add_user, authenticate, members
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.services.site import (
    NewReview,
    add_review,
    create_review,
    is_site_admin,
    list_reviews,
    open_site_review,
    reviews_of,
    set_site_admin,
)
from tests.helpers import ris_text
from tests.site_helpers import PASSWORD, make_site, populate


def test_a_new_review_gets_its_folder_its_rows_and_its_creator_as_owner(
    tmp_path: Path, database_url: str | None
) -> None:
    accounts = make_site(tmp_path / "site", database_url)
    try:
        key_a, key_b = populate(accounts)
        reviews = {review.key: review for review in list_reviews(accounts)}
        assert set(reviews) == {key_a, key_b}
        assert reviews[key_a].title == "Exercise for knee pain"
        assert reviews[key_a].folder == f"reviews/{key_a}"
        assert reviews[key_a].owners == ("olwen",) and reviews[key_a].members == 2
        assert (tmp_path / "site" / "reviews" / key_a / "review.toml").is_file()
        review_db = tmp_path / "site" / "reviews" / key_a / "review.db"
        assert review_db.exists() is (database_url is None)  # PostgreSQL: the rows are in the site's database
        assert [(m.key, m.role) for m in reviews_of(accounts, "aoife")] == [(key_a, Role.REVIEWER)]
        workspace = open_site_review(accounts, key_a, "olwen")
        assert workspace is not None and find_site(workspace.project.root) is not None
        try:
            assert {m.user: m.role for m in members(workspace)} == {"olwen": "owner", "aoife": "reviewer"}
            assert any(event.type == "project.created" for event in read_log(workspace))
        finally:
            workspace.close()
        assert open_site_review(accounts, "no-such-review") is None
        with accounts.unit_of_work(write=False) as uow:
            logged = [event.type for event in uow.events.list()]
        assert logged.count("site.review_created") == 2 and "site.admin_set" in logged
    finally:
        accounts.close()


def test_the_worked_example_protocol_comes_without_its_reviewers(
    tmp_path: Path, database_url: str | None
) -> None:
    accounts = make_site(tmp_path / "site", database_url)
    try:
        add_user(accounts, "olwen", PASSWORD)
        project = create_review(accounts, "olwen", NewReview("Yoga", "example"))
        protocol = project.protocol
        assert project.title == "Yoga"
        assert protocol.screening.title_abstract.reviewers == []
        assert protocol.screening.exclusion_reasons  # the example's criteria came along
        assert project.key != "back-pain-partnerships-3f9c2a1e"  # a new id, as `init --protocol` gives
    finally:
        accounts.close()


def test_an_invalid_uploaded_protocol_is_refused_by_line_and_leaves_nothing(
    tmp_path: Path, database_url: str | None
) -> None:
    accounts = make_site(tmp_path / "site", database_url)
    try:
        add_user(accounts, "olwen", PASSWORD)
        text = 'schema_version = 1\nproject_id = "x"\n[review]\ntitle = "T"\nquestion = "Q"\nbogus = 1\n'
        with pytest.raises(ProtocolError) as refused:
            create_review(accounts, "olwen", NewReview("", "upload", text))
        assert "bogus" in refused.value.message and ":6" in refused.value.message
        with pytest.raises(ProtocolError, match="needs a title"):
            create_review(accounts, "olwen", NewReview("   "))
        assert [p.name for p in (tmp_path / "site" / "reviews").iterdir()] == []
        assert list_reviews(accounts) == []
    finally:
        accounts.close()


def test_only_administrators_create_reviews_when_the_site_says_so(tmp_path: Path) -> None:
    accounts = make_site(tmp_path / "site", None, allow_new_reviews=False)
    try:
        add_user(accounts, "olwen", PASSWORD)
        add_user(accounts, "aoife", PASSWORD)
        with pytest.raises(Forbidden):
            create_review(accounts, "aoife", NewReview("Mine"))
        set_site_admin(accounts, "olwen")
        assert is_site_admin(accounts, "olwen") and not is_site_admin(accounts, "aoife")
        with pytest.raises(Conflict):
            set_site_admin(accounts, "olwen")
        assert create_review(accounts, "olwen", NewReview("Theirs")).title == "Theirs"
        set_site_admin(accounts, "olwen", False)
        assert not is_site_admin(accounts, "olwen")
    finally:
        accounts.close()


def test_an_existing_review_moves_in_with_its_accounts_merged_by_login(
    tmp_path: Path, database_url: str | None
) -> None:
    accounts = make_site(tmp_path / "site", database_url)
    try:
        add_user(accounts, "aoife", "the site's own password")  # a clash: the site's account is kept
        own = init_project(tmp_path / "old", "Back pain partnerships")
        key = own.project.key
        try:
            export = tmp_path / "records.ris"
            export.write_text(ris_text(5), encoding="utf-8")
            import_files(own, ImportRequest(paths=[export], source="MEDLINE"))
            if database_url is None:  # on SQLite the review kept its own accounts
                add_user(own, "aoife", PASSWORD)
                add_user(own, "ingrid", PASSWORD, display_name="Ingrid Östlund-Berg")
                add_member(own, "ingrid", Role.OWNER)
                add_member(own, "aoife", Role.REVIEWER)
        finally:
            own.close()
        added = add_review(accounts, tmp_path / "old")
        assert not (tmp_path / "old").exists()
        assert added.folder == tmp_path / "site" / "reviews" / key
        assert added.key == key and [r.key for r in list_reviews(accounts)] == [key]
        if database_url is None:
            assert added.users_copied == ["ingrid"] and added.clashes == ["aoife"]
            assert added.memberships == 2 and not added.database_stayed
            # ingrid logs in to the site with the password she had; aoife with the site's
            ingrid = authenticate(accounts, "ingrid", PASSWORD, address="a")
            assert ingrid.display_name == "Ingrid Östlund-Berg"
            assert authenticate(accounts, "aoife", "the site's own password", address="a").name == "aoife"
        else:
            assert added.database_stayed and added.users_copied == []
        workspace = open_site_review(accounts, key)
        assert workspace is not None
        try:
            with workspace.unit_of_work(write=False) as uow:
                assert uow.records.count() == 5
            if database_url is None:
                roles = {m.user: m.role for m in members(workspace)}
                assert roles == {"ingrid": "owner", "aoife": "reviewer"}
        finally:
            workspace.close()
        with pytest.raises(Conflict, match="already a review of the site"):
            add_review(accounts, added.folder)
        assert find_project(added.folder).key == key
    finally:
        accounts.close()
