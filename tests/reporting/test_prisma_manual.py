"""prisma.toml: hand-given counts are checked like review.toml and laid over the computed ones."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from synthesist.errors import InconsistentCounts, ProtocolError
from synthesist.reporting.prisma import NamedCount, PrismaCounts
from synthesist.reporting.prisma_manual import (
    FIELD_BY_KEY,
    ManualCounts,
    apply_manual_counts,
    load_manual_counts,
    parse_manual_counts,
)
from synthesist.reporting.prisma_svg import render_prisma_svg
from tests.reporting.prisma_examples import REFERENCE

EXAMPLE = """\
# counts for steps done outside Synthesist
[identification]
registers = { "ClinicalTrials.gov" = 12 }

[screening]
records_screened = 750
records_excluded = 720

[screening.reports_excluded]
"Not chronic back pain" = 11
"Wrong study design" = 1

[other_methods]
sources = { "Websites" = 4 }
reports_sought = 4
reports_not_retrieved = 1
reports_assessed = 3
reports_excluded = { "Not qualitative" = 3 }

[included]
reports = 7
studies = 7
"""


def test_every_key_names_a_field_of_the_counts() -> None:
    fields = {field.name for field in dataclasses.fields(PrismaCounts)}
    assert set(FIELD_BY_KEY.values()) <= fields
    assert len(set(FIELD_BY_KEY.values())) == len(FIELD_BY_KEY) == len(fields) - 1  # all but `manual`


def test_the_file_gives_numbers_lists_and_their_lines() -> None:
    manual = parse_manual_counts(EXAMPLE)
    assert manual.counts == {
        "records_screened": 750,
        "records_excluded": 720,
        "other_reports_sought": 4,
        "other_reports_not_retrieved": 1,
        "other_reports_assessed": 3,
        "studies_included": 7,
        "reports_included": 7,
    }
    assert manual.entries["registers"] == (NamedCount("ClinicalTrials.gov", 12),)
    assert manual.entries["reports_excluded"] == (
        NamedCount("Not chronic back pain", 11),
        NamedCount("Wrong study design", 1),
    )
    assert manual.entries["other_sources"] == (NamedCount("Websites", 4),)
    assert manual.where("records_screened") == "prisma.toml:6"
    assert manual.where("reports_excluded[Wrong study design]") == "prisma.toml:11"
    assert manual.where("registers[ClinicalTrials.gov]") == "prisma.toml:3"


def test_overlay_replaces_boxes_merges_lists_by_name_and_marks_what_it_gave() -> None:
    counts = apply_manual_counts(REFERENCE, parse_manual_counts(EXAMPLE))
    assert counts.registers == (NamedCount("ClinicalTrials.gov", 12),)
    assert counts.register_records == 12  # the total follows its hand-given list
    assert counts.records_screened == 750
    # a known reason is replaced in place, a new one is added after the others
    assert counts.reports_excluded == (
        NamedCount("Not chronic back pain", 11),
        NamedCount("Cancer pain management", 4),
        NamedCount("No focus on patient–professional partnership or self-management", 7),
        NamedCount("Wrong study design", 1),
    )
    assert counts.other_sources[-1] == NamedCount("Websites", 4)
    assert counts.other_records_screened == 62  # not given: stays as computed
    assert counts.reports_included == 7
    assert counts.manual == {
        "registers[ClinicalTrials.gov]",
        "register_records",
        "records_screened",
        "records_excluded",
        "reports_excluded[Not chronic back pain]",
        "reports_excluded[Wrong study design]",
        "other_sources[Websites]",
        "other_reports_sought",
        "other_reports_not_retrieved",
        "other_reports_assessed",
        "other_reports_excluded[Not qualitative]",
        "studies_included",
        "reports_included",
    }
    assert not counts.is_manual("databases")
    assert not counts.is_manual("reports_sought")


def test_hand_given_counts_are_marked_in_the_diagram() -> None:
    svg = render_prisma_svg(apply_manual_counts(REFERENCE, parse_manual_counts(EXAMPLE)))
    assert "Records screened (n = 750)*" in svg
    assert "Reports sought for retrieval (n = 30)<" in svg  # computed, so not marked
    assert "Not chronic back pain (n = 11)*" in svg
    assert "* given in prisma.toml, not derived from Synthesist's records" in svg


def test_the_whole_diagram_can_come_from_the_file() -> None:
    text = """\
[identification]
databases = { "MEDLINE" = 40, "Embase" = 20 }
duplicates_removed = 10
[screening]
records_screened = 50
records_excluded = 45
reports_sought = 5
reports_assessed = 5
reports_excluded = { "Wrong population" = 3 }
[included]
studies = 2
reports = 2
"""
    counts = apply_manual_counts(PrismaCounts(), parse_manual_counts(text))
    assert counts.database_records == 60
    assert counts.is_manual("database_records")


def test_no_file_changes_nothing(tmp_path: Path) -> None:
    manual = load_manual_counts(tmp_path / "prisma.toml")
    assert not manual
    assert apply_manual_counts(REFERENCE, manual) is REFERENCE


def test_a_file_is_read_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "prisma.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    assert load_manual_counts(path) == parse_manual_counts(EXAMPLE)


def test_hand_given_numbers_that_do_not_fit_say_where_they_are() -> None:
    text = '[identification]\nregisters = { "ClinicalTrials.gov" = 12 }\n\n'
    text += "[screening]\nreports_not_retrieved = 2\n"
    with pytest.raises(InconsistentCounts) as caught:
        apply_manual_counts(REFERENCE, parse_manual_counts(text))
    problems = caught.value.problems
    assert problems[0].startswith("Records screened: n = 738, but records identified from databases (757) + ")
    assert "registers (12 from prisma.toml)" in problems[0]
    assert "reports not retrieved (2 from prisma.toml) = 28" in problems[1]
    assert caught.value.hint == (
        "Numbers marked 'from prisma.toml' are given in prisma.toml: identification.registers (line 2), "
        "screening.reports_not_retrieved (line 5). Correct them there, or give the other boxes they must "
        "agree with."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[screening]\nrecords_screned = 750\n",
            "prisma.toml:2: screening.records_screned is not a known setting; "
            'did you mean "records_screened"?',
        ),
        (
            '[screening]\nrecords_screened = "750"\n',
            'prisma.toml:2: screening.records_screened = "750" is not allowed; expected a whole number of 0 '
            "or more (no quotes)",
        ),
        (
            "[included]\nstudies = true\n",
            "prisma.toml:2: included.studies = true is not allowed; expected a whole number of 0 or more",
        ),
        (
            '[screening]\n\n[screening.reports_excluded]\n"Not chronic back pain" = -3\n',
            'prisma.toml:4: screening.reports_excluded."Not chronic back pain" = -3 is not allowed',
        ),
        (
            '[identification]\nregisters = { "" = 3 }\n',
            'prisma.toml:2: identification.registers."" = 3 has no name',
        ),
        (
            "[other_methods]\nsources = 4\n",
            "prisma.toml:2: other_methods.sources = 4 is not allowed; expected names with numbers",
        ),
        (
            "[includde]\nstudies = 3\n",
            'prisma.toml:1: includde is not a known section; did you mean "included"?',
        ),
        ("[screening]\nrecords_screened = \n", "prisma.toml:2: not valid TOML: invalid value"),
    ],
)
def test_mistakes_name_the_file_key_and_line(text: str, expected: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_manual_counts(text)
    assert caught.value.message.startswith(expected), caught.value.message


def test_every_mistake_is_listed_with_its_own_line() -> None:
    text = "[screening]\nrecords_screened = -1\n\n[included]\nstudies = 1.5\n"
    with pytest.raises(ProtocolError) as caught:
        parse_manual_counts(text, "review/prisma.toml")
    lines = caught.value.message.splitlines()
    assert lines[0].startswith("review/prisma.toml:2: screening.records_screened = -1 is not allowed")
    assert lines[1].startswith("review/prisma.toml:5: included.studies = 1.5 is not allowed")
    assert caught.value.hint == (
        "Edit review/prisma.toml at the line shown; its keys follow the boxes of the PRISMA diagram."
    )


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "prisma.toml"
    path.write_bytes('[screening.reports_excluded]\n"Pas qualitatif \xe9" = 1\n'.encode("latin-1"))
    with pytest.raises(ProtocolError, match=r"^prisma\.toml: not UTF-8"):
        load_manual_counts(path)


def test_manual_counts_without_lines_name_the_file_alone() -> None:
    assert ManualCounts(counts={"records_screened": 3}).where("records_screened") == "prisma.toml"
