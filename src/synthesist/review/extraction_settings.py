"""The ``[extraction]`` section of ``review.toml``: the data extraction form and how it is checked.

A form is a list of fields, each with a type::

    [extraction]
    mode = "single-verified"          # "single", "single-verified" or "dual"

    [[extraction.fields]]
    name = "participants"             # the column name in CSV files and exports
    label = "Participants"            # what people see
    type = "participant_counts"
    groups = ["patients", "professionals"]
    required = true
    help = "Numbers who took part, by group."

When the protocol lists no fields, the form is :data:`DEFAULT_FORM`: the characteristics the
reference review extracted (authors, year, country, design and aim, recruitment and sample, health
condition, data collection and analysis, main findings, recommendations).

The field rules are checked key by key (not in one validator for the whole field) so that an error
points at the line of the key that is wrong, e.g. ``extraction.fields[2].unit``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from synthesist.toml_errors import ItemProblem

__all__ = [
    "DEFAULT_FORM",
    "MULTI_CHOICE_SEPARATOR",
    "RECORD_SOURCES",
    "ExtractionField",
    "ExtractionMode",
    "ExtractionSection",
    "FieldType",
]

FieldType = Literal[
    "short_text", "long_text", "number", "choice", "multi_choice", "date", "participant_counts"
]
ExtractionMode = Literal["single", "single-verified", "dual"]
RecordSource = Literal["authors", "year", "title", "journal"]
RECORD_SOURCES: tuple[str, ...] = ("authors", "year", "title", "journal")

# A multi-choice value is written "Focus groups; Interviews" in CSV files and on the command line,
# so a choice of such a field cannot itself contain the separator.
MULTI_CHOICE_SEPARATOR = ";"
# Participant counts are written "patients=12, professionals=3"; a group name must not contain
# the characters that separate them.
_GROUP_FORBIDDEN = re.compile(r"[=,;:]")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Columns that CSV files and exports use for the study itself; a field may not take these names.
RESERVED_NAMES = frozenset({"study", "study_id", "records", "field", "value", "appraisal_rating"})

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Section(BaseModel):
    # the same strictness as the rest of review.toml (see synthesist.review.protocol)
    model_config = ConfigDict(extra="forbid", frozen=True)


def _only_for(info: ValidationInfo, key: str, *types: str) -> None:
    """Refuse ``key`` on a field whose type has no use for it (when the type itself is valid)."""
    kind = info.data.get("type")
    if kind is not None and kind not in types:
        allowed = " or ".join(f'"{name}"' for name in types)
        raise ValueError(f'only applies to fields of type {allowed}, not "{kind}"')


class ExtractionField(_Section):
    name: str
    label: _Text | None = None
    type: FieldType = "short_text"
    required: StrictBool = False
    help: str = ""
    choices: list[_Text] = Field(default_factory=list, validate_default=True)
    # number fields
    unit: _Text | None = None
    min: float | None = None
    max: float | None = None
    integer: StrictBool = False
    # participant_counts fields: the groups counted; none means a single total
    groups: list[_Text] = Field(default_factory=list)
    # prefill from the study's first included record (still editable)
    from_record: RecordSource | None = None

    @field_validator("name")
    @classmethod
    def _name_is_identifier(cls, name: str) -> str:
        if not _FIELD_NAME.match(name):
            raise ValueError(
                "is not allowed; expected a short name of lower-case letters, digits and _, "
                "such as sample_size (the label is what people see)"
            )
        if name in RESERVED_NAMES:
            raise ValueError(
                f"is not allowed; {name!r} names a column of the study itself in CSV files, "
                "pick another name such as study_" + name
            )
        return name

    @field_validator("choices")
    @classmethod
    def _choices_fit_type(cls, choices: list[str], info: ValidationInfo) -> list[str]:
        if "type" not in info.data:
            return choices  # the type itself is wrong; that error is the one worth reading
        kind = info.data["type"]
        if kind in ("choice", "multi_choice") and not choices:
            raise ValueError(f'is empty; a field of type "{kind}" needs the choices to pick from')
        if kind not in ("choice", "multi_choice") and choices:
            raise ValueError(f'only applies to fields of type "choice" or "multi_choice", not "{kind}"')
        seen: set[str] = set()
        for index, choice in enumerate(choices):
            if choice.casefold() in seen:
                # choices are matched without regard to case, so these could not be told apart
                raise ItemProblem(f"repeats the choice {choice!r}; each must be given once", index)
            seen.add(choice.casefold())
            if kind == "multi_choice" and MULTI_CHOICE_SEPARATOR in choice:
                raise ItemProblem(
                    f"contains {MULTI_CHOICE_SEPARATOR!r}, which separates the choices of a "
                    "multi_choice value; reword it",
                    index,
                )
        return choices

    @field_validator("unit", "integer")
    @classmethod
    def _number_only(cls, value: object, info: ValidationInfo) -> object:
        if value not in (None, False):  # the defaults say nothing, whatever the type
            _only_for(info, str(info.field_name), "number")
        return value

    @field_validator("min", "max", mode="before")
    @classmethod
    def _bound_is_number(cls, value: object, info: ValidationInfo) -> object:
        if value is None:
            return value
        _only_for(info, str(info.field_name), "number")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("is not allowed; expected a number (no quotes), e.g. 0")
        return value

    @field_validator("max")
    @classmethod
    def _max_above_min(cls, value: float | None, info: ValidationInfo) -> float | None:
        low = info.data.get("min")
        if value is not None and low is not None and value < low:
            raise ValueError(f"is below min = {low:g}; the range must run upwards")
        return value

    @field_validator("groups")
    @classmethod
    def _groups_are_names(cls, groups: list[str], info: ValidationInfo) -> list[str]:
        if groups:
            _only_for(info, "groups", "participant_counts")
        seen: set[str] = set()
        for index, group in enumerate(groups):
            if _GROUP_FORBIDDEN.search(group):
                raise ItemProblem(
                    "is not allowed; a group name cannot contain = , ; or : "
                    "(they separate the counts, e.g. patients=12, professionals=3)",
                    index,
                )
            if group.casefold() == "total" or group.casefold() in seen:
                what = "is the total, counted anyway" if group.casefold() == "total" else "is repeated"
                raise ItemProblem(f"{what}; give each group once and leave out total", index)
            seen.add(group.casefold())
        return groups

    @field_validator("from_record")
    @classmethod
    def _source_fits_type(cls, source: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("type")
        if source is not None and kind is not None:
            wanted = "number" if source == "year" else ("short_text", "long_text")
            if kind not in wanted:
                need = '"number"' if source == "year" else '"short_text" or "long_text"'
                raise ValueError(f'needs a field of type {need}, not "{kind}"')
        return source

    @property
    def display_label(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


def _default(name: str, label: str, kind: FieldType, help_text: str, **extra: object) -> ExtractionField:
    return ExtractionField.model_validate(
        {"name": name, "label": label, "type": kind, "required": True, "help": help_text, **extra}
    )


# The reference review's "Data extraction": the characteristics of each study, one column each in
# its table of study characteristics.
DEFAULT_FORM: tuple[ExtractionField, ...] = (
    _default(
        "authors",
        "Authors",
        "short_text",
        "Filled in from the study's first included record; correct it if needed.",
        from_record="authors",
    ),
    _default(
        "year",
        "Year",
        "number",
        "Year of publication; filled in from the study's first included record.",
        from_record="year",
        integer=True,
        min=1800,
        max=2200,
    ),
    _default("country", "Country", "short_text", "Where the study was conducted."),
    _default(
        "design_and_aim",
        "Study design and aim",
        "long_text",
        "The design as the authors name it, and the aim.",
    ),
    _default(
        "recruitment_and_sample",
        "Recruitment and sample",
        "long_text",
        "How participants were recruited, and who and how many took part.",
    ),
    _default("health_condition", "Health condition", "short_text", "The condition the study focused on."),
    _default(
        "data_collection_and_analysis",
        "Data collection and analysis",
        "long_text",
        "Methods of data collection (e.g. interviews, focus groups) and of analysis.",
    ),
    _default("main_findings", "Main findings", "long_text", "The findings relevant to the review question."),
    ExtractionField(
        name="recommendations",
        label="Recommendations",
        type="long_text",
        help="The authors' recommendations for practice or research, if any.",
    ),
)


class ExtractionSection(_Section):
    # single: one person extracts; single-verified: a second person checks and flags fields, the
    # first resolves the flags; dual: two people extract blind and disagreements are resolved.
    mode: ExtractionMode = "single"
    reviewers: list[_Text] = Field(default_factory=list)
    fields: list[ExtractionField] = Field(default_factory=list)

    @field_validator("fields")
    @classmethod
    def _names_unique(cls, fields: list[ExtractionField]) -> list[ExtractionField]:
        seen: set[str] = set()
        for index, field in enumerate(fields):
            if field.name in seen:
                raise ItemProblem(
                    f"repeats the field name {field.name!r}; each must be given once", index, "name"
                )
            seen.add(field.name)
        return fields

    @property
    def form(self) -> tuple[ExtractionField, ...]:
        """The fields to extract: the protocol's own, else the reference review's (:data:`DEFAULT_FORM`)."""
        return tuple(self.fields) if self.fields else DEFAULT_FORM

    def field(self, name: str) -> ExtractionField | None:
        return next((field for field in self.form if field.name == name), None)
