"""Editing review.toml through Synthesist: only the edit changes (comments and layout kept byte for
byte), the whole result is checked with the CLI's messages and refused with the field named and
nothing written, each edit is logged, and the web's copy of the protocol follows the file."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
import tomlkit

from synthesist.errors import ChangedMeanwhile, ProtocolEditRefused, ProtocolError
from synthesist.events import ProtocolEdited
from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.review.protocol import Protocol
from synthesist.services.accounts.users import add_member, add_user, set_display_name
from synthesist.services.projects import init_project
from synthesist.services.protocol_edit import (
    current_project,
    duties_of,
    edit_protocol,
    section_version,
    set_all_duties,
    set_duties,
)
from synthesist.services.protocol_edit.document import put, table_at
from synthesist.services.protocol_edit.forms import SECTIONS, input_for
from synthesist.services.records.reading import read_log
from synthesist.workspace import Workspace, open_workspace

DEMO = resources.files("synthesist.demo").joinpath("review.toml")


def _edits(workspace: Workspace) -> list[ProtocolEdited]:
    return [e for e in (logged.decoded() for logged in read_log(workspace)) if isinstance(e, ProtocolEdited)]


@pytest.fixture
def demo(tmp_path: Path, database_url: str | None) -> Iterator[Workspace]:
    source = tmp_path / "demo-review.toml"
    source.write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    opened = init_project(tmp_path / "demo", None, protocol_from=source)
    try:
        yield opened
    finally:
        opened.close()


def _text(workspace: Workspace) -> str:
    return workspace.project.protocol_path.read_text(encoding="utf-8")


def test_an_edit_changes_its_lines_and_nothing_else(workspace: Workspace) -> None:
    before = _text(workspace)

    def change(document: tomlkit.TOMLDocument) -> None:
        put(table_at(document, "criteria"), "inclusion", ["Adults with back pain", "Qualitative"], [])
        put(table_at(document, "search"), "date_from", 1980)

    project = edit_protocol(workspace, "criteria", change)

    expected = before.replace("inclusion = []", 'inclusion = ["Adults with back pain", "Qualitative"]', 1)
    expected = expected.replace("# date_from = 1980\n", "# date_from = 1980\ndate_from = 1980\n", 1)
    assert _text(workspace) == expected  # every comment and blank line outside the edit, byte for byte
    assert project.protocol.criteria.inclusion == ["Adults with back pain", "Qualitative"]
    assert workspace.project is project  # the workspace holds the protocol as written
    assert find_project(workspace.project.root).protocol == project.protocol  # as the CLI reads it

    (event,) = _edits(workspace)
    assert event.section == "criteria"
    assert 'criteria.inclusion: [] → ["Adults with back pain", "Qualitative"]' in event.changes
    assert "search.date_from: (none) → 1980" in event.changes
    assert "criteria" in event.summary()


def test_a_refused_edit_names_the_field_with_the_clis_message_and_writes_nothing(demo: Workspace) -> None:
    before = demo.project.protocol_path.read_bytes()

    def change(document: tomlkit.TOMLDocument) -> None:
        extraction = table_at(document, "extraction")
        fields = tomlkit.aot()
        field = tomlkit.table()
        field.update({"name": "age", "type": "number", "min": "about 3"})
        fields.append(field)
        extraction["fields"] = fields
        put(table_at(document, "screening", "full_text"), "mode", "duel")

    with pytest.raises(ProtocolEditRefused) as refused:
        edit_protocol(demo, "extraction", change)

    problems = refused.value.problems
    assert set(problems) == {("extraction", "fields", 0, "min"), ("screening", "full_text", "mode")}
    assert problems[("screening", "full_text", "mode")] == (
        'screening.full_text.mode = "duel" is not allowed; '
        'expected one of "single", "single-verified", "dual"'
    )
    assert problems[("extraction", "fields", 0, "min")].startswith('extraction.fields[0].min = "about 3"')
    # the same words the CLI prints for the same file
    document = tomlkit.parse(before.decode())
    change(document)
    with pytest.raises(ProtocolError) as cli:
        Protocol.parse(tomlkit.dumps(document))
    for message in problems.values():
        assert message in cli.value.message
    assert demo.project.protocol_path.read_bytes() == before
    assert _edits(demo) == []


def test_the_project_id_cannot_be_changed(workspace: Workspace) -> None:
    def change(document: tomlkit.TOMLDocument) -> None:
        document["project_id"] = "another-id"

    with pytest.raises(ProtocolEditRefused) as refused:
        edit_protocol(workspace, "review", change)
    assert ("project_id",) in refused.value.problems


def test_an_unchanged_form_writes_and_logs_nothing(demo: Workspace) -> None:
    """Each section's form, submitted as shown, is no edit: the file keeps its bytes."""
    before = demo.project.protocol_path.read_bytes()
    text = before.decode()
    data = tomllib.loads(text)
    for section in SECTIONS.values():
        shown = section.values(data)
        edit_protocol(demo, section.name, section.change({name: [value] for name, value in shown.items()}))
    assert demo.project.protocol_path.read_bytes() == before
    assert _edits(demo) == []
    assert section_version(text, "criteria") == section_version(text, "criteria")


def test_forms_edit_rows_of_tables_in_place(demo: Workspace) -> None:
    data = tomllib.loads(_text(demo))
    form = {name: [value] for name, value in SECTIONS["search"].values(data).items()}
    form["search.databases.1.remove"] = ["true"]  # CINAHL goes
    form["search.databases.4.platform"] = ["APA PsycNet"]
    form["search.databases.5.name"] = ["Web of Science"]  # a new row
    form["search.databases.5.searched_on"] = ["2014-05-15"]
    form["search.databases.6.name"] = [""]  # the blank row stays out
    before = _text(demo)
    edit_protocol(demo, "search", SECTIONS["search"].change(form))
    names = [db.name for db in demo.project.protocol.search.databases]
    assert names == ["Cochrane Library", "MEDLINE", "EMBASE", "PsycINFO", "Web of Science"]
    assert demo.project.protocol.search.databases[3].platform == "APA PsycNet"
    after = _text(demo)
    assert '[[search.databases]]\nname = "CINAHL"' not in after
    assert after.split("[criteria]")[1] == before.split("[criteria]")[1]  # the rest untouched


def test_a_stale_form_is_refused_but_another_sections_is_not(workspace: Workspace) -> None:
    text = _text(workspace)
    criteria, screening = section_version(text, "criteria"), section_version(text, "screening")

    def include(document: tomlkit.TOMLDocument) -> None:
        put(table_at(document, "criteria"), "inclusion", ["First"], [])

    def dual(document: tomlkit.TOMLDocument) -> None:
        put(table_at(document, "screening", "title_abstract"), "mode", "dual", "single")

    edit_protocol(workspace, "criteria", include, expected_version=criteria)
    edit_protocol(workspace, "screening", dual, expected_version=screening)  # another section: fine
    with pytest.raises(ChangedMeanwhile):
        edit_protocol(workspace, "criteria", include, expected_version=criteria)
    assert workspace.project.protocol.screening.title_abstract.mode == "dual"


def test_duties_write_the_lists_spelling_else_the_display_name(demo: Workspace) -> None:
    for login, shown, role in (
        ("aoife", "Aoife Brennan", Role.OWNER),
        ("kofi", "Kofi Mensah", Role.REVIEWER),
    ):
        add_user(demo, login, "correct horse battery")
        set_display_name(demo, login, shown)
        add_member(demo, login, role)

    team, duties = duties_of(demo)
    assert [member.login for member in team] == ["aoife", "kofi"]
    screening = next(duty for duty in duties if duty.stage == "title_abstract")
    assert screening.ticked == {"aoife"}  # listed as "Aoife Brennan"
    assert screening.others == ("Łukasz Nowak", "Ingrid Östlund-Berg")  # no accounts yet

    set_duties(demo, "title_abstract", ["aoife", "kofi", "Łukasz Nowak"])
    set_all_duties(demo, {"coding": ["kofi", "aoife"]})
    protocol = demo.project.protocol
    assert protocol.screening.title_abstract.reviewers == ["Aoife Brennan", "Łukasz Nowak", "Kofi Mensah"]
    assert protocol.synthesis.coders == ["Kofi Mensah", "Aoife Brennan"]
    assert [e.section for e in _edits(demo)] == ["duties", "duties"]
    assert 'coders = ["Kofi Mensah", "Aoife Brennan"]' in _text(demo)


def test_the_web_copy_of_the_protocol_follows_the_file(tmp_path: Path, workspace: Workspace) -> None:
    other = open_workspace(find_project(workspace.project.root))  # another process's copy
    try:
        assert current_project(other).title == workspace.project.title

        def retitle(document: tomlkit.TOMLDocument) -> None:
            put(table_at(document, "review"), "title", "Renamed")

        edit_protocol(workspace, "review", retitle)
        assert current_project(other).title == "Renamed"
        assert other.project.title == "Renamed"
        path = workspace.project.protocol_path
        path.write_text(_text(workspace).replace('title = "Renamed"', 'title = "By hand"'), encoding="utf-8")
        assert current_project(other).title == "By hand"
        path.write_text(_text(workspace).replace('title = "By hand"', "title = "), encoding="utf-8")
        with pytest.raises(ProtocolError):
            current_project(other)
    finally:
        other.close()


def test_a_problem_finds_the_input_that_shows_it() -> None:
    names = {"criteria.inclusion", "search.databases.1.name", "appraisal.rating_rules.0.when"}
    assert input_for(("criteria", "inclusion", 2), names) == "criteria.inclusion"
    assert input_for(("search", "databases", 1, "name"), names) == "search.databases.1.name"
    assert (
        input_for(("appraisal", "rating_rules", 0, "when", 1, "no"), names) == "appraisal.rating_rules.0.when"
    )
    assert input_for(("review",), names) is None


def test_rating_rules_from_the_form_are_written_as_inline_conditions(workspace: Workspace) -> None:
    form = {
        "appraisal.tool": ["casp-qualitative"],
        "appraisal.mode": ["single"],
        "appraisal.rules": ["custom"],
        "appraisal.rating_rules.0.rating": ["High"],
        "appraisal.rating_rules.0.when": ["no = 0, cant_tell = 0..1\n"],
        "appraisal.rating_rules.1.rating": ["Low"],
        "appraisal.rating_rules.1.when": ["no = 1..\nno = 0, cant_tell = 2.."],
        "appraisal.rating_rules.2.rating": [""],
    }
    edit_protocol(workspace, "appraisal", SECTIONS["appraisal"].change(form))
    text = _text(workspace)
    assert '[[appraisal.rating_rules]]\nrating = "High"\nwhen = [{no = 0, cant_tell = "0..1"}]' in text
    rules = workspace.project.protocol.appraisal.rating_rules
    assert rules is not None and [rule.rating for rule in rules] == ["High", "Low"]

    form["appraisal.rules"] = ["none"]
    edit_protocol(workspace, "appraisal", SECTIONS["appraisal"].change(form))
    assert workspace.project.protocol.appraisal.rating_rules == []
    assert "\n[[appraisal.rating_rules]]" not in _text(workspace)  # (the template's example is a comment)

    # a new rule typed in while another choice is made is refused rather than dropped
    form["appraisal.rules"] = ["default"]
    form["appraisal.rating_rules.0.rating"] = ["Medium"]
    with pytest.raises(ProtocolEditRefused) as refused:
        edit_protocol(workspace, "appraisal", SECTIONS["appraisal"].change(form))
    assert ("appraisal", "rules") in refused.value.problems


def test_edits_of_different_sections_at_once_all_land(workspace: Workspace) -> None:
    """The lock serialises read, change and write, so no edit drops another's."""
    import threading

    def edit(key: str) -> None:
        for number in range(5):

            def change(document: tomlkit.TOMLDocument, number: int = number) -> None:
                put(table_at(document, "criteria"), key, [f"{key} {number}"], [])

            edit_protocol(workspace.acting_as(key), key, change)

    threads = [threading.Thread(target=edit, args=(key,)) for key in ("inclusion", "exclusion")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    protocol = find_project(workspace.project.root).protocol
    assert protocol.criteria.inclusion == ["inclusion 4"]
    assert protocol.criteria.exclusion == ["exclusion 4"]
    assert len(_edits(workspace)) == 10
