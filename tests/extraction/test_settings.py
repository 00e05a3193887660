"""The [extraction] section of review.toml: the default form, the mode, and errors at their line."""

from __future__ import annotations

import pytest

from synthesist.errors import ProtocolError
from synthesist.review.extraction_settings import DEFAULT_FORM
from synthesist.review.protocol import Protocol

MINIMAL = 'project_id = "p-1"\n\n[review]\ntitle = "A review"\n'


def parse_error(text: str) -> ProtocolError:
    with pytest.raises(ProtocolError) as raised:
        Protocol.parse(text)
    return raised.value


def test_without_fields_the_form_is_the_reference_reviews() -> None:
    extraction = Protocol.parse(MINIMAL).extraction
    assert extraction.fields == [] and extraction.mode == "single"
    assert [field.display_label for field in extraction.form] == [
        "Authors",
        "Year",
        "Country",
        "Study design and aim",
        "Recruitment and sample",
        "Health condition",
        "Data collection and analysis",
        "Main findings",
        "Recommendations",
    ]
    assert extraction.form == DEFAULT_FORM
    assert [field.from_record for field in DEFAULT_FORM[:2]] == ["authors", "year"]
    assert all(field.required for field in DEFAULT_FORM[:-1]) and not DEFAULT_FORM[-1].required


def test_a_form_with_every_type() -> None:
    text = MINIMAL + (
        '\n[extraction]\nmode = "dual"\nreviewers = ["alice", "bob"]\n'
        '\n[[extraction.fields]]\nname = "sample_size"\ntype = "number"\nunit = "participants"\n'
        "integer = true\nmin = 1\nmax = 5000\nrequired = true\n"
        '\n[[extraction.fields]]\nname = "participants"\ntype = "participant_counts"\n'
        'groups = ["patients", "health professionals"]\n'
        '\n[[extraction.fields]]\nname = "recruited"\ntype = "date"\nhelp = "When recruitment began."\n'
        '\n[[extraction.fields]]\nname = "first_author"\nfrom_record = "authors"\n'
    )
    extraction = Protocol.parse(text).extraction
    assert extraction.mode == "dual" and extraction.reviewers == ["alice", "bob"]
    sample, people, recruited, first = extraction.form
    assert (sample.unit, sample.integer, sample.min, sample.max, sample.required) == (
        "participants",
        True,
        1,
        5000,
        True,
    )
    assert people.groups == ["patients", "health professionals"]
    assert recruited.help == "When recruitment began."
    assert first.from_record == "authors" and first.type == "short_text"
    assert extraction.field("recruited") is recruited and extraction.field("nope") is None


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        (
            'name = "x"\ntype = "short_text"\nunit = "years"',
            "unit",
            'only applies to fields of type "number"',
        ),
        ('name = "x"\nmin = 3', "min", 'only applies to fields of type "number", not "short_text"'),
        ('name = "x"\ntype = "number"\nmin = "3"', "min", "expected a number (no quotes), e.g. 0"),
        ('name = "x"\ntype = "number"\nmin = 10\nmax = 5', "max", "is below min = 10"),
        ('name = "x"\ngroups = ["a"]', "groups", 'only applies to fields of type "participant_counts"'),
        (
            'name = "x"\ntype = "participant_counts"\ngroups = ["patients", "carers=family"]',
            "groups",
            "a group name cannot contain = , ; or :",
        ),
        (
            'name = "x"\ntype = "participant_counts"\ngroups = ["patients", "Patients"]',
            "groups",
            "is repeated; give each group once",
        ),
        ('name = "x"\ntype = "participant_counts"\ngroups = ["total"]', "groups", "is the total"),
        (
            'name = "x"\ntype = "multi_choice"\nchoices = ["Interviews; focus groups"]',
            "choices",
            "contains ';', which separates the choices of a multi_choice value",
        ),
        ('name = "x"\ntype = "choice"\nchoices = ["Yes", "yes"]', "choices", "repeats the choice 'yes'"),
        ('name = "x"\ntype = "date"\nfrom_record = "year"', "from_record", 'needs a field of type "number"'),
        ('name = "x"\nfrom_record = "doi"', "from_record", "is not allowed"),
        ('name = "study"', "name", "'study' names a column of the study itself"),
        ('name = "x"\nrequired = "yes"', "required", "true or false"),
    ],
)
def test_a_field_that_is_wrong_is_named_at_its_line(fields: str, key: str, message: str) -> None:
    text = MINIMAL + "\n[[extraction.fields]]\n" + fields + "\n"
    error = parse_error(text)
    line = next(
        number for number, content in enumerate(text.splitlines(), 1) if content.startswith(f"{key} =")
    )
    assert error.message.startswith(f"review.toml:{line}: extraction.fields[0].{key}"), error.message
    assert message in error.message


def test_an_unknown_mode_lists_the_modes() -> None:
    error = parse_error(MINIMAL + '\n[extraction]\nmode = "double"\n')
    assert error.message == (
        'review.toml:7: extraction.mode = "double" is not allowed; '
        'expected one of "single", "single-verified", "dual"'
    )


def test_a_form_reads_back_what_it_dumps() -> None:
    for field in DEFAULT_FORM:
        assert type(field).model_validate(field.model_dump()) == field
