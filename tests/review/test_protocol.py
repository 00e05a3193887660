"""review.toml: the schema, the commented template, and errors that name the key and its line."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from synthesist.errors import ProtocolError, UserError
from synthesist.review.protocol import Protocol, load_protocol, render_template
from synthesist.screening.prioritise import DEFAULT_RANKER, available_rankers
from synthesist.toml_lines import find_key_line, key_lines, unterminated_string_line

DATA = Path(__file__).resolve().parents[1] / "data"
TEMPLATE = Path(__file__).resolve().parents[2] / "src" / "synthesist" / "review" / "template.toml"

MINIMAL = """\
schema_version = 1
project_id = "demo-1234abcd"

[review]
title = "Demo review"
"""


def parse_error(text: str) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        Protocol.parse(text)
    return caught.value


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing ``fragment`` (so tests do not hard-code numbers)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in text")


# -- template ------------------------------------------------------------------------------------


def test_the_shipped_template_is_itself_a_valid_protocol() -> None:
    protocol = Protocol.parse(TEMPLATE.read_text(encoding="utf-8"))
    assert protocol.review.title == "__TITLE__"
    assert protocol.screening.title_abstract.mode == "single"
    assert protocol.screening.exclusion_reasons == []


def test_template_has_every_section_and_explains_it() -> None:
    text = render_template("Back pain partnerships", "back-pain-0a1b2c3d")
    data = tomllib.loads(text)
    for section in ("review", "search", "criteria", "screening", "extraction", "appraisal", "synthesis"):
        assert section in data, section
    assert "codebook" in data
    assert set(data["screening"]) >= {"title_abstract", "full_text", "exclusion_reasons", "prioritisation"}
    # examples from the reference review are there, commented out, and they are valid when uncommented
    assert "# [[search.databases]]" in text
    assert '# tool = "casp-qualitative"' in text
    assert "Not chronic back pain" in text
    assert text.count("\n#") > 60


def test_uncommenting_the_template_examples_gives_a_valid_protocol() -> None:
    text = render_template("Back pain partnerships", "back-pain-0a1b2c3d")
    # Drop each empty placeholder that an example replaces, then uncomment the examples.
    for placeholder in (
        'question = ""\n',
        "languages = []\n",
        "other_methods = []\n",
        "inclusion = []\n",
        "exclusion = []\n",
        "exclusion_reasons = []\n",
        "highlight_include = []\n",
        "highlight_exclude = []\n",
        '# verify_sample = "all"\n',  # only allowed with mode = "single-verified"
    ):
        text = text.replace(placeholder, "", 1)
    example = re.compile(r'^# ((?:[a-z_]+ = |\[|\]|    ").*)$')
    lines = [example.sub(r"\1", line) for line in text.splitlines()]
    protocol = Protocol.parse("\n".join(lines))
    assert protocol.search.date_from == 1980
    assert [db.name for db in protocol.search.databases] == ["CINAHL", "MEDLINE"]
    assert protocol.search.databases[0].searched_on == date(2014, 3, 1)
    assert len(protocol.criteria.inclusion) == 3
    assert protocol.extraction.fields[1].choices[0] == "Semi-structured interviews"
    assert protocol.codebook.themes[1].parent == "Communication"
    assert protocol.appraisal.tool == "casp-qualitative"
    assert protocol.screening.title_abstract.verify_sample is None
    assert protocol.database_url is not None
    assert protocol.screening.ranking_keywords == ["partnership", "self-management", "low back pain"]


@pytest.mark.parametrize(
    "title",
    [
        'Partnerships: "a review" of patients\' views',
        "Back\\slash C:\\reviews\\back pain",
        "Östlund, Müller & Łukasz — patient–professional partnerships 😀",
        "Triple \"\"\" quotes and ''' apostrophes [brackets] {braces} # not a comment",
        "Tab\tinside",
    ],
)
def test_render_template_escapes_the_title(title: str) -> None:
    protocol = Protocol.parse(render_template(title, "demo-1234abcd"))
    assert protocol.review.title == title
    assert protocol.project_id == "demo-1234abcd"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1).filter(lambda title: title.strip() != ""))
def test_render_template_round_trips_any_title(title: str) -> None:
    assert Protocol.parse(render_template(title, "x-1")).review.title == title.strip()


def test_render_template_refuses_an_empty_title_or_odd_project_id() -> None:
    with pytest.raises(ProtocolError, match="title must not be empty"):
        render_template("   ", "demo-1")
    with pytest.raises(ProtocolError, match="project id"):
        render_template("Title", "has spaces")


# -- the reference review ------------------------------------------------------------------------


def test_reference_review_loads_with_all_its_details() -> None:
    protocol = load_protocol(DATA / "reference_review.toml")
    assert protocol.review.type == "qualitative systematic review"
    assert protocol.review.question.startswith("How do patient–professional partnerships influence")
    assert [db.name for db in protocol.search.databases] == [
        "Cochrane Library",
        "CINAHL",
        "MEDLINE",
        "EMBASE",
        "PsycINFO",
    ]
    assert protocol.search.databases[1].platform == "EBSCOhost"
    assert (protocol.search.period_start, protocol.search.period_end) == (
        date(1980, 1, 1),
        date(2014, 12, 31),
    )
    assert protocol.search.languages == ["English"]
    assert "citation indexes" in protocol.search.other_methods
    assert len(protocol.criteria.inclusion) == 3
    assert "Non-English language studies" in protocol.criteria.exclusion
    assert protocol.screening.exclusion_reasons[0] == "Not chronic back pain"
    assert protocol.screening.title_abstract.mode == "single-verified"
    assert protocol.screening.title_abstract.verify_sample == "all"
    assert protocol.appraisal.tool == "casp-qualitative"
    assert protocol.synthesis.method is not None and "thematic synthesis" in protocol.synthesis.method
    assert {field.type for field in protocol.extraction.fields} >= {"choice", "participant_counts"}
    assert protocol.extraction.fields[0].display_label == "Country where the study took place"
    assert protocol.codebook.themes[1].parent == "Communication"


def test_protocol_is_frozen() -> None:
    protocol = Protocol.parse(MINIMAL)
    with pytest.raises(ValidationError):
        protocol.project_id = "other"  # type: ignore[misc]


def test_defaults_of_a_minimal_protocol() -> None:
    protocol = Protocol.parse(MINIMAL)
    assert protocol.schema_version == 1
    assert protocol.database_url is None
    assert protocol.review.type == "systematic review"
    assert protocol.screening.full_text.mode == "single"
    assert protocol.screening.full_text.verify_sample is None
    assert protocol.search.period_start is None
    assert protocol.extraction.fields == []


def test_prioritisation_defaults_and_keywords() -> None:
    prioritisation = Protocol.parse(MINIMAL).screening.prioritisation
    assert prioritisation.enabled is True and prioritisation.model == DEFAULT_RANKER
    assert (prioritisation.retrain_every, prioritisation.seed, prioritisation.keywords) == (1, 0, None)
    highlighted = MINIMAL + '\n[screening]\nhighlight_include = ["back pain"]\n'
    assert Protocol.parse(highlighted).screening.ranking_keywords == ["back pain"], "the default"
    own = highlighted + '\n[screening.prioritisation]\nkeywords = ["partnership", "nudg*"]\n'
    assert Protocol.parse(own).screening.ranking_keywords == ["partnership", "nudg*"]
    none = highlighted + "\n[screening.prioritisation]\nkeywords = []\n"
    assert Protocol.parse(none).screening.ranking_keywords == [], "an empty list means no keywords"
    text = (
        MINIMAL
        + '\n[screening.prioritisation]\nenabled = false\nmodel = "logistic"\nretrain_every = 10\nseed = 42\n'
    )
    chosen = Protocol.parse(text).screening.prioritisation
    assert (chosen.enabled, chosen.model, chosen.retrain_every, chosen.seed) == (False, "logistic", 10, 42)


def test_an_unknown_ranking_model_lists_the_models() -> None:
    error = parse_error(MINIMAL + '\n[screening.prioritisation]\nmodel = "svn"\n')
    names = ", ".join(f'"{name}"' for name in available_rankers())
    assert error.message == (
        'review.toml:8: screening.prioritisation.model = "svn" is not a ranking model; '
        f"expected one of {names}"
    )


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("retrain_every = 0", "retrain_every = 0 is not allowed; expected a number of decisions, 1 or more"),
        ("retrain_every = true", "retrain_every = true is not allowed; expected a whole number (no quotes)"),
        ('retrain_every = "5"', 'retrain_every = "5" is not allowed; expected a whole number (no quotes)'),
        ("seed = -1", "seed = -1 is not allowed; expected a whole number from 0 to 4294967295"),
        ("enabled = 2", "enabled = 2 is not allowed; expected true or false (no quotes)"),
        ("retrain_evry = 5", 'retrain_evry is not a known setting; did you mean "retrain_every"?'),
    ],
)
def test_bad_prioritisation_settings_name_the_key(setting: str, expected: str) -> None:
    error = parse_error(MINIMAL + f"\n[screening.prioritisation]\n{setting}\n")
    assert error.message == f"review.toml:8: screening.prioritisation.{expected}"


# -- syntax errors -------------------------------------------------------------------------------


def test_unquoted_text_is_a_syntax_error_at_its_line() -> None:
    text = MINIMAL + "question = How do partnerships help?\n"
    error = parse_error(text)
    assert error.location == "review.toml:6"
    assert error.message.startswith("review.toml:6: not valid TOML: invalid value (column 12)")
    assert error.hint is not None and "double quotes" in error.hint
    assert isinstance(error, UserError)


def test_unterminated_string_points_where_it_opens() -> None:
    error = parse_error(MINIMAL + 'question = """How do\n\nauthors = []\n\n')
    assert error.location == "review.toml:6"
    assert "unterminated string" in error.message
    assert error.hint == "A text value is missing its closing double quote."


def test_unclosed_quote_on_one_line_is_explained() -> None:
    error = parse_error(MINIMAL + 'question = "How do\nauthors = []\n')
    assert error.location == "review.toml:6"
    assert error.hint is not None and "same line" in error.hint


def test_other_end_of_document_errors_point_at_the_last_written_line() -> None:
    error = parse_error(MINIMAL + 'authors = [\n  "Aoife",\n\n\n')
    assert error.location == "review.toml:7"


def test_table_declared_twice_is_named_in_toml_terms() -> None:
    error = parse_error(MINIMAL + "\n[search]\n\n[search]\n")
    assert error.location == "review.toml:9"
    assert "cannot declare [search] twice" in error.message


# -- schema errors, each at its exact line -------------------------------------------------------


def test_literal_error_names_key_value_line_and_choices() -> None:
    text = MINIMAL + '\n[screening.title_abstract]\nmode = "duel"\n'
    error = parse_error(text)
    assert str(error).splitlines()[0] == (
        'review.toml:8: screening.title_abstract.mode = "duel" is not allowed; '
        'expected one of "single", "single-verified", "dual"'
    )
    assert error.location == "review.toml:8"


def test_dotted_and_inline_forms_are_located_too() -> None:
    dotted = MINIMAL + '\n[screening]\ntitle_abstract.mode = "duel"\n'
    assert parse_error(dotted).location == "review.toml:8"
    inline = (
        MINIMAL + '\n[screening]\nexclusion_reasons = []\nfull_text = { mode = "dual", verify_sample = 5 }\n'
    )
    error = parse_error(inline)
    assert error.location == "review.toml:9"
    assert "screening.full_text.verify_sample = 5 only applies when mode" in error.message


def test_missing_title_points_at_the_review_table() -> None:
    text = 'project_id = "demo-1"\n\n[review]\nquestion = "Why?"\n'
    error = parse_error(text)
    assert error.message == "review.toml:3: review.title is missing"


def test_missing_section_and_top_level_key_have_no_line() -> None:
    error = parse_error("schema_version = 1\n")
    assert error.location == "review.toml"
    lines = str(error).splitlines()
    assert lines[0] == "review.toml: project_id is missing"
    assert lines[1] == "review.toml: the [review] section is missing"


def test_typo_in_a_key_suggests_the_right_one() -> None:
    text = MINIMAL + '\n[screening.full_text]\nmdoe = "dual"\n'
    error = parse_error(text)
    assert (
        error.message
        == 'review.toml:8: screening.full_text.mdoe is not a known setting; did you mean "mode"?'
    )


def test_unknown_section_is_reported_with_suggestion() -> None:
    error = parse_error(MINIMAL + "\n[screenings]\nexclusion_reasons = []\n")
    assert error.message == 'review.toml:7: screenings is not a known section; did you mean "screening"?'


def test_unknown_key_without_close_match_lists_the_allowed_ones() -> None:
    error = parse_error(MINIMAL + "\n[synthesis]\nfavourite_colour = 1\n")
    assert (
        error.message
        == "review.toml:8: synthesis.favourite_colour is not a known setting; allowed here: method, coders"
    )


def test_wrong_type_says_what_is_expected() -> None:
    error = parse_error(MINIMAL + 'authors = "Cooper K"\n')
    assert error.message == (
        'review.toml:6: review.authors = "Cooper K" is not allowed; '
        'expected a list in square brackets, e.g. ["first", "second"]'
    )
    error = parse_error(MINIMAL.replace('"demo-1234abcd"', "42"))
    assert error.message.startswith(
        "review.toml:2: project_id = 42 is not allowed; expected text in double quotes"
    )


def test_a_table_where_a_value_belongs() -> None:
    error = parse_error(MINIMAL + "\n[review.question]\ntext = 'x'\n")
    assert (
        error.message
        == 'review.toml:7: review.question is a table; expected text in double quotes, e.g. "Cooper K"'
    )


def test_date_range_must_run_forwards() -> None:
    text = MINIMAL + "\n[search]\ndate_from = 2014\ndate_to = 1980\n"
    error = parse_error(text)
    assert error.message == (
        "review.toml:9: search.date_to = 1980 is before search.date_from = 2014; "
        "the search period must run forwards"
    )


@pytest.mark.parametrize(
    ("date_from", "date_to", "start", "end"),
    [
        ("1980", "2014", date(1980, 1, 1), date(2014, 12, 31)),
        ("1980-03-01", "2014-06-30", date(1980, 3, 1), date(2014, 6, 30)),
        ('"1980"', '"2014-06-30"', date(1980, 1, 1), date(2014, 6, 30)),
        ("2014", "2014-01-31", date(2014, 1, 1), date(2014, 1, 31)),
        ("2014-12-31", "2014", date(2014, 12, 31), date(2014, 12, 31)),
    ],
)
def test_years_and_dates_mix(date_from: str, date_to: str, start: date, end: date) -> None:
    protocol = Protocol.parse(MINIMAL + f"\n[search]\ndate_from = {date_from}\ndate_to = {date_to}\n")
    assert (protocol.search.period_start, protocol.search.period_end) == (start, end)


@pytest.mark.parametrize("value", ["true", "80", '"last year"', "1980-01-01T10:00:00", '"1980-13-01"'])
def test_bad_search_bounds(value: str) -> None:
    error = parse_error(MINIMAL + f"\n[search]\ndate_from = {value}\n")
    assert error.location == "review.toml:8"
    assert error.message.startswith(f"review.toml:8: search.date_from = {value} is ")
    assert "a year such as 1980" in error.message


def test_searched_on_must_be_a_date() -> None:
    text = (
        MINIMAL
        + '\n[[search.databases]]\nname = "CINAHL"\n'
        + '\n[[search.databases]]\nname = "MEDLINE"\nsearched_on = "May 2014"\n'
    )
    error = parse_error(text)
    assert error.message == (
        'review.toml:12: search.databases[1].searched_on = "May 2014" is not allowed; '
        "expected a date written like 2014-03-01"
    )


def test_missing_name_in_second_database_points_at_its_header() -> None:
    text = MINIMAL + '\n[[search.databases]]\nname = "CINAHL"\n\n[[search.databases]]\nplatform = "Ovid"\n'
    assert parse_error(text).message == "review.toml:10: search.databases[1].name is missing"


@pytest.mark.parametrize("sample", ['"20%"', '"12.5 %"', "50", '"all"', '"ALL"'])
def test_verify_sample_forms(sample: str) -> None:
    text = MINIMAL + f'\n[screening.title_abstract]\nmode = "single-verified"\nverify_sample = {sample}\n'
    stage = Protocol.parse(text).screening.title_abstract
    assert stage.verify_sample in ("20%", "12.5%", 50, "all")


def test_single_verified_without_sample_checks_all() -> None:
    text = MINIMAL + '\n[screening.full_text]\nmode = "single-verified"\n'
    assert Protocol.parse(text).screening.full_text.verify_sample == "all"


@pytest.mark.parametrize("sample", ['"120%"', "0", '"half"', "true", '"0%"'])
def test_bad_verify_sample(sample: str) -> None:
    text = MINIMAL + f'\n[screening.title_abstract]\nmode = "single-verified"\nverify_sample = {sample}\n'
    error = parse_error(text)
    assert error.location == "review.toml:9"
    assert 'expected "all", a number of records such as 50, or a percentage such as "20%"' in error.message


def test_wrong_mode_is_the_only_complaint_when_a_sample_is_also_given() -> None:
    text = MINIMAL + '\n[screening.title_abstract]\nmode = "duel"\nverify_sample = "20%"\n'
    assert len(str(parse_error(text)).splitlines()) == 2  # the mode error and the hint


def test_empty_text_in_a_list_points_at_the_element() -> None:
    text = MINIMAL + '\n[criteria]\ninclusion = [\n    "Adults with chronic back pain",\n    "  ",\n]\n'
    error = parse_error(text)
    assert (
        error.message
        == "review.toml:10: criteria.inclusion[1] is empty; write the text or remove the empty item"
    )


def test_duplicate_exclusion_reason_points_at_the_repeat() -> None:
    text = (
        MINIMAL
        + '\n[screening]\nexclusion_reasons = [\n  "Not chronic back pain",\n'
        + '  "Wrong population",\n  "Not chronic back pain",\n]\n'
    )
    error = parse_error(text)
    assert error.location == "review.toml:11"
    assert "repeats the reason 'Not chronic back pain'" in error.message


def test_extraction_field_rules() -> None:
    text = (
        MINIMAL
        + '\n[[extraction.fields]]\nname = "country"\n'
        + '\n[[extraction.fields]]\nname = "Sample size"\ntype = "number"\n'
        + '\n[[extraction.fields]]\nname = "design"\ntype = "choice"\n'
        + '\n[[extraction.fields]]\nname = "notes"\ntype = "long_text"\nchoices = ["a"]\n'
        + '\n[[extraction.fields]]\nname = "country"\ntype = "short_txt"\n'
    )
    lines = str(parse_error(text)).splitlines()
    assert lines[:4] == [
        f"review.toml:{line_of(text, 'Sample size')}: "
        'extraction.fields[1].name = "Sample size" is not allowed; expected a short name of '
        "lower-case letters, digits and _, such as sample_size (the label is what people see)",
        f"review.toml:{line_of(text, 'design') - 1}: extraction.fields[2].choices is empty; "
        'a field of type "choice" needs the choices to pick from',
        f"review.toml:{line_of(text, 'choices = ')}: "
        'extraction.fields[3].choices = ["a"] only applies to fields '
        'of type "choice" or "multi_choice", not "long_text"',
        f"review.toml:{line_of(text, 'short_txt')}: "
        'extraction.fields[4].type = "short_txt" is not allowed; expected one of "short_text", '
        '"long_text", "number", "choice", "multi_choice", "date", "participant_counts"',
    ]


def test_duplicate_extraction_field_name_points_at_the_second_one() -> None:
    text = MINIMAL + '\n[[extraction.fields]]\nname = "country"\n\n[[extraction.fields]]\nname = "country"\n'
    error = parse_error(text)
    assert error.message == (
        "review.toml:11: extraction.fields[1].name = \"country\" repeats the field name 'country'; "
        "each must be given once"
    )


def test_theme_parent_must_exist_and_not_loop() -> None:
    unknown = (
        MINIMAL
        + '\n[[codebook.themes]]\nname = "Trust"\n\n[[codebook.themes]]\nname = "Rapport"\nparent = "Trsut"\n'
    )
    assert parse_error(unknown).message == (
        'review.toml:12: codebook.themes[1].parent = "Trsut" '
        "names a theme that is not in the codebook: 'Trsut'"
    )
    loop = (
        MINIMAL
        + '\n[[codebook.themes]]\nname = "A"\nparent = "B"\n\n[[codebook.themes]]\nname = "B"\nparent = "A"\n'
    )
    error = parse_error(loop)
    assert error.location == "review.toml:9"
    assert "makes a loop" in error.message


def test_top_level_checks() -> None:
    newer = MINIMAL.replace("schema_version = 1", "schema_version = 2")
    assert "newer Synthesist" in parse_error(newer).message
    assert parse_error(newer).location == "review.toml:1"
    spaced = MINIMAL.replace('"demo-1234abcd"', '"my review"')
    assert parse_error(spaced).message.startswith('review.toml:2: project_id = "my review" is not allowed')
    url = MINIMAL.replace("[review]", 'database_url = "review.db"\n\n[review]')
    assert parse_error(url).message.startswith(
        'review.toml:4: database_url = "review.db" is not a database address'
    )
    ok = MINIMAL.replace("[review]", 'database_url = "sqlite:///data/review.db"\n\n[review]')
    assert Protocol.parse(ok).database_url == "sqlite:///data/review.db"


def test_several_errors_are_all_reported_in_file_order() -> None:
    text = (
        'project_id = "demo-1"\n'  # 1
        "\n"  # 2
        "[review]\n"  # 3
        'title = ""\n'  # 4
        'type = "meta-analysis"\n'  # 5
        "\n"  # 6
        "[search]\n"  # 7
        "date_from = 2014\n"  # 8
        "date_to = 2010\n"  # 9
        "\n"  # 10
        "[screening.title_abstract]\n"  # 11
        'mode = "duel"\n'  # 12
        'reviewrs = ["Aoife"]\n'  # 13
    )
    error = parse_error(text)
    lines = str(error).splitlines()
    assert [line.split(":")[1] for line in lines[:-1]] == ["4", "5", "9", "12", "13"]
    assert lines[0] == "review.toml:4: review.title is empty; expected some text between the quotes"
    assert 'did you mean "reviewers"' in lines[4]
    assert error.location == "review.toml:4"
    assert error.hint is not None and lines[-1] == error.hint


# -- loading from a file ---------------------------------------------------------------------------


def test_load_uses_the_file_name_and_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert Protocol.load(path).review.title == "Demo review"
    path.write_text(MINIMAL.replace('"Demo review"', '"Demo"\ntitle = "Again"'), encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        Protocol.load(path)
    assert caught.value.location == "review.toml:6"


def test_load_reports_non_utf8_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    path.write_bytes(MINIMAL.encode() + b'question = "M\xfcller"\n')
    with pytest.raises(ProtocolError) as caught:
        Protocol.load(path)
    assert caught.value.location == "review.toml:6"
    assert "UTF-8" in str(caught.value)


def test_load_of_a_missing_file_is_a_protocol_error(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="cannot read"):
        Protocol.load(tmp_path / "review.toml")


# -- finding the line of a key -------------------------------------------------------------------

LOCATOR_TEXT = """\
# a comment with [brackets] and key = "value"
top = "value with [brackets], = and # hash"
multi = \"\"\"
first = not a key
[not.a.table]
\"\"\"
literal = '''
[also.not]
'''
"quoted.key" = 1
'single quoted' = 2
escaped = "quote \\" [x] = 1"

[ search ]
languages = [
    "English",  # comment, with comma
    "French",
]
date.from = 1980

[[search.databases]]
name = "CINAHL"

[[search.databases]]
name = "MEDLINE"
options = { limit = { english = true }, years = [1980, 2014] }

[[search.databases.notes]]
text = "belongs to MEDLINE"

[screening.full_text]
mode = "dual"
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("top",), 2),
        (("multi",), 3),
        (("first",), None),
        (("not",), None),
        (("also",), None),
        (("quoted.key",), 10),
        (("single quoted",), 11),
        (("escaped",), 12),
        (("x",), None),
        (("search",), 14),
        (("search", "languages"), 15),
        (("search", "languages", 0), 16),
        (("search", "languages", 1), 17),
        (("search", "date"), 19),
        (("search", "date", "from"), 19),
        (("search", "databases"), 21),
        (("search", "databases", 0), 21),
        (("search", "databases", 0, "name"), 22),
        (("search", "databases", 1), 24),
        (("search", "databases", 1, "name"), 25),
        (("search", "databases", 1, "options", "limit", "english"), 26),
        (("search", "databases", 1, "options", "years", 1), 26),
        (("search", "databases", 1, "notes", 0, "text"), 29),
        (("screening",), 31),
        (("screening", "full_text", "mode"), 32),
    ],
)
def test_key_lines(path: tuple[str | int, ...], line: int | None) -> None:
    assert tomllib.loads(LOCATOR_TEXT)  # the fixture is valid TOML
    assert key_lines(LOCATOR_TEXT).get(path) == line


def test_find_key_line_falls_back_to_the_nearest_table() -> None:
    assert find_key_line(LOCATOR_TEXT, ("screening", "full_text", "reviewers")) == 31
    assert find_key_line(LOCATOR_TEXT, ("search", "databases", 0, "platform")) == 21
    assert find_key_line(LOCATOR_TEXT, ("search", "databases", 5, "name")) == 21
    assert find_key_line(LOCATOR_TEXT, ("review", "title")) is None
    assert find_key_line(LOCATOR_TEXT, ()) is None


def test_key_lines_with_windows_line_endings() -> None:
    text = LOCATOR_TEXT.replace("\n", "\r\n")
    assert key_lines(text)[("screening", "full_text", "mode")] == 32
    assert key_lines(text)[("search", "languages", 1)] == 17


def test_key_lines_keeps_what_it_found_before_broken_text() -> None:
    lines = key_lines('a = 1\n[b]\nc = "unterminated\n')
    assert lines[("a",)] == 1
    assert lines[("b",)] == 2


def test_multiline_string_ending_in_extra_quotes() -> None:
    text = 'a = """x"""""\nb = 2\n'
    assert tomllib.loads(text)["a"] == 'x""'
    assert key_lines(text)[("b",)] == 2


def test_key_lines_ends_on_every_truncation_of_valid_text() -> None:
    # The scanner is only meant for valid TOML, but it must never hang or raise on broken text.
    reference = (DATA / "reference_review.toml").read_text(encoding="utf-8")
    for text, step in ((LOCATOR_TEXT, 1), (reference, 7)):
        for end in range(0, len(text), step):
            key_lines(text[:end])
            unterminated_string_line(text[:end])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab =[]{},.\"'\\#\n1", max_size=60))
def test_key_lines_ends_on_any_text(text: str) -> None:
    key_lines(text)
    unterminated_string_line(text)
