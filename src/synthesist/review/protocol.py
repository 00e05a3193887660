"""The review protocol: ``review.toml``, hand-edited by the review team, checked strictly.

Every section is a frozen pydantic model that forbids unknown keys, so a typo such as ``mdoe = "dual"``
is reported instead of silently ignored. :meth:`Protocol.load` turns both TOML syntax errors and schema
errors into one :class:`~synthesist.errors.ProtocolError` that names each problem by its TOML key path
and line (see :mod:`synthesist.toml_errors`).
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from synthesist.errors import ProtocolError
from synthesist.file_limits import FileLimits
from synthesist.review.appraisal_settings import AppraisalSection  # the [appraisal] section
from synthesist.review.extraction_settings import ExtractionField, ExtractionSection  # its own module
from synthesist.screening.prioritise.names import BUILT_IN_RANKERS, DEFAULT_RANKER, OPTIONAL_RANKERS
from synthesist.toml_errors import (
    ItemProblem,
    describe_validation_error,
    protocol_error,
    syntax_error,
)

__all__ = [
    "SCHEMA_VERSION",
    "AppraisalSection",
    "CodebookCode",
    "CodebookSection",
    "CriteriaSection",
    "DatabaseSearched",
    "DeduplicationSection",
    "ExtractionField",
    "ExtractionSection",
    "LimitsSection",
    "PrioritisationSection",
    "Protocol",
    "ReviewSection",
    "ScreeningSection",
    "ScreeningStage",
    "SearchSection",
    "SynthesisSection",
    "Theme",
    "load_protocol",
    "render_template",
]

SCHEMA_VERSION = 1

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A value that must say something: blank strings are refused rather than kept as noise."""

ReviewType = Literal[
    "systematic review",
    "qualitative systematic review",
    "qualitative evidence synthesis",
    "scoping review",
    "mixed-methods review",
    "rapid review",
    "other",
]
ScreeningMode = Literal["single", "single-verified", "dual"]

_PROJECT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PERCENT = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*%\s*$")
_TEMPLATE_TITLE = '"__TITLE__"'
_TEMPLATE_PROJECT_ID = '"new-project-id"'


_DATABASE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\+[A-Za-z0-9_]+)?://")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _year_or_date(value: Any) -> Any:
    """``1980``, ``1980-01-01`` (TOML date) or ``"1980-01-01"``/``"1980"`` (quoted) -> int year or date."""
    if value is None or isinstance(value, bool):
        # bool is an int in Python; ``date_from = true`` is a mistake, not the year 1
        return value if value is None else _refuse_bound()
    if isinstance(value, datetime):
        raise ValueError(
            "is a date with a time; expected only a year such as 1980 or a date such as 1980-01-01"
        )
    if isinstance(value, date):
        return value
    if isinstance(value, int):
        return value if 1000 <= value <= 9999 else _refuse_bound()
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}", text):
            return int(text)
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    return _refuse_bound()


def _refuse_bound() -> Any:
    raise ValueError("is not allowed; expected a year such as 1980 or a date such as 1980-01-01")


YearOrDate = Annotated[int | date | None, BeforeValidator(_year_or_date)]


def _first_day(bound: int | date) -> date:
    return bound if isinstance(bound, date) else date(bound, 1, 1)


def _last_day(bound: int | date) -> date:
    return bound if isinstance(bound, date) else date(bound, 12, 31)


class ReviewSection(_Section):
    title: Text
    question: str = ""
    type: ReviewType = "systematic review"
    authors: list[Text] = Field(default_factory=list)
    registration: Text | None = None


class DatabaseSearched(_Section):
    name: Text
    platform: Text | None = None
    searched_on: date | None = None


class SearchSection(_Section):
    databases: list[DatabaseSearched] = Field(default_factory=list)
    date_from: YearOrDate = None
    date_to: YearOrDate = None
    languages: list[Text] = Field(default_factory=list)
    other_methods: list[Text] = Field(default_factory=list)
    # [[search.strategies]]: search strategies kept in review.toml rather than search/NAME.toml; the
    # tables are read (and their mistakes reported by line) by synthesist.search.strategy_file
    strategies: list[dict[str, Any]] = Field(default_factory=list)

    @field_validator("date_to")
    @classmethod
    def _not_before_start(cls, value: int | date | None, info: ValidationInfo) -> int | date | None:
        start = info.data.get("date_from")
        if value is not None and start is not None and _last_day(value) < _first_day(start):
            raise ValueError(f"is before search.date_from = {start}; the search period must run forwards")
        return value

    @property
    def period_start(self) -> date | None:
        """First day covered by the search (1 January when only a year is given)."""
        return None if self.date_from is None else _first_day(self.date_from)

    @property
    def period_end(self) -> date | None:
        """Last day covered by the search (31 December when only a year is given)."""
        return None if self.date_to is None else _last_day(self.date_to)


class CriteriaSection(_Section):
    inclusion: list[Text] = Field(default_factory=list)
    exclusion: list[Text] = Field(default_factory=list)


class ScreeningStage(_Section):
    mode: ScreeningMode = "single"
    # validate_default: an absent sample still has to be checked against (and filled in for) the mode
    verify_sample: int | str | None = Field(default=None, validate_default=True)
    # "stratified": the sample takes the same share of includes and of excludes, so the few
    # includes are always checked too; "random": one draw over all decisions.
    verify_sampling: Literal["random", "stratified"] = "random"
    reviewers: list[Text] = Field(default_factory=list)

    @field_validator("verify_sample", mode="before")
    @classmethod
    def _sample_for_verified_mode(cls, value: Any, info: ValidationInfo) -> Any:
        if "mode" not in info.data:
            return value  # the mode itself is wrong; that error is the one worth reading
        mode = info.data["mode"]
        if value is None:
            # "single-verified" with no sample means a second person checks every decision
            return "all" if mode == "single-verified" else None
        if mode != "single-verified":
            raise ValueError('only applies when mode = "single-verified"; remove it or change the mode')
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        if isinstance(value, str):
            text = value.strip().lower()
            percent = _PERCENT.match(text)
            if text == "all" or (percent and 0 < float(percent.group(1)) <= 100):
                return text.replace(" ", "")
        raise ValueError(
            'is not allowed; expected "all", a number of records such as 50, or a percentage such as "20%"'
        )


class DeduplicationSection(_Section):
    """How ``synthesist dedup run`` decides (see synthesist.dedup.matching)."""

    # A preprint and its published version: "distinct" (both kept; link them as one study at full
    # text), "possible" (a reviewer decides each pair) or "duplicate" (the published one is kept).
    preprints: Literal["distinct", "possible", "duplicate"] = "distinct"
    # Ahead-of-print records often carry the year before the issue's.
    year_tolerance: int = Field(default=1, ge=0, le=3)
    # false: even certain duplicates wait in the review queue for a reviewer to confirm.
    auto_merge: bool = True


class PrioritisationSection(_Section):
    """How title/abstract screening is ordered: most likely relevant first (services/screening/queue.py)."""

    enabled: bool = True
    model: Text = DEFAULT_RANKER
    # Decisions between two retrains of the model; 1 retrains after every decision.
    retrain_every: StrictInt = 1  # strict: TOML's true would otherwise pass as 1
    seed: StrictInt = 0
    # None: the screening section's highlight_include (see ScreeningSection.ranking_keywords).
    keywords: list[Text] | None = None

    @field_validator("model")
    @classmethod
    def _model_known(cls, name: str) -> str:
        # A model from an optional extra may be missing on this machine and present on a colleague's;
        # asking for it to rank says which extra to install.
        if name in BUILT_IN_RANKERS or name in OPTIONAL_RANKERS:
            return name  # known without importing the rankers (scikit-learn): every command reads this
        from synthesist.screening.prioritise.models import available_rankers  # plug-ins register there

        rankers = available_rankers()
        if name not in rankers:
            names = ", ".join(f'"{known}"' for known in rankers)
            raise ValueError(f"is not a ranking model; expected one of {names}")
        return name

    @field_validator("retrain_every")
    @classmethod
    def _at_least_one(cls, every: int) -> int:
        if every < 1:
            raise ValueError("is not allowed; expected a number of decisions, 1 or more")
        return every

    @field_validator("seed")
    @classmethod
    def _seed_in_range(cls, seed: int) -> int:
        # numpy's generators and scikit-learn's random_state take 0 to 2**32 - 1
        if not 0 <= seed < 2**32:
            raise ValueError("is not allowed; expected a whole number from 0 to 4294967295")
        return seed


class ScreeningSection(_Section):
    title_abstract: ScreeningStage = Field(default_factory=ScreeningStage)
    full_text: ScreeningStage = Field(default_factory=ScreeningStage)
    exclusion_reasons: list[Text] = Field(default_factory=list)
    highlight_include: list[Text] = Field(default_factory=list)
    highlight_exclude: list[Text] = Field(default_factory=list)
    prioritisation: PrioritisationSection = Field(default_factory=PrioritisationSection)

    @field_validator("exclusion_reasons")
    @classmethod
    def _reasons_unique(cls, reasons: list[str]) -> list[str]:
        _refuse_duplicates(reasons, "reason")
        return reasons

    @property
    def ranking_keywords(self) -> list[str]:
        """The terms that rank records before any relevant one is known: the prioritisation's own
        keywords, else the words highlighted as suggesting inclusion (``keywords = []`` means none)."""
        chosen = self.prioritisation.keywords
        return list(self.highlight_include if chosen is None else chosen)


class SynthesisSection(_Section):
    method: Text | None = None
    # the people coding documents (the coding duty), listed like the other stages' reviewers
    coders: list[Text] = Field(default_factory=list)

    @field_validator("coders")
    @classmethod
    def _coders_unique(cls, names: list[str]) -> list[str]:
        _refuse_duplicates(names, "coder")
        return names


class Theme(_Section):
    name: Text
    definition: str = ""
    key_terms: list[Text] = Field(default_factory=list)
    parent: Text | None = None
    # default: analytical at the top, descriptive under a parent (synthesist.services.synthesis.codebook)
    level: Literal["descriptive", "analytical"] | None = None
    codes: list[Text] = Field(default_factory=list)  # codes under this theme, by name


class CodebookCode(_Section):
    """A code of the codebook, with what defines it; ``themes`` puts it under themes by name."""

    name: Text
    definition: str = ""
    key_terms: list[Text] = Field(default_factory=list)
    themes: list[Text] = Field(default_factory=list)


class CodebookSection(_Section):
    file: Text | None = None
    themes: list[Theme] = Field(default_factory=list)
    codes: list[CodebookCode] = Field(default_factory=list)

    @field_validator("themes")
    @classmethod
    def _themes_form_a_tree(cls, themes: list[Theme]) -> list[Theme]:
        names = [theme.name for theme in themes]
        _refuse_duplicates(names, "theme name", "name")
        parents = {theme.name: theme.parent for theme in themes}
        for index, theme in enumerate(themes):
            if theme.parent is None:
                continue
            if theme.parent not in parents:
                raise ItemProblem(
                    f"names a theme that is not in the codebook: {theme.parent!r}", index, "parent"
                )
            seen = {theme.name}
            ancestor: str | None = theme.parent
            while ancestor is not None:
                if ancestor in seen:
                    raise ItemProblem(
                        "makes a loop: a theme cannot be its own parent or ancestor", index, "parent"
                    )
                seen.add(ancestor)
                ancestor = parents[ancestor]
        return themes


def _refuse_duplicates(values: list[str], what: str, key: str | None = None) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            sub_path: tuple[str | int, ...] = (index, key) if key else (index,)
            raise ItemProblem(f"repeats the {what} {value!r}; each must be given once", *sub_path)
        seen.add(value)


_DEFAULT_LIMITS = FileLimits()


class LimitsSection(_Section):
    """What an uploaded or attached file may expand to (see :mod:`synthesist.file_limits`); the
    defaults are far above any real report or export. Strict numbers: TOML's ``true`` is not 1."""

    pdf_pages: StrictInt = Field(default=_DEFAULT_LIMITS.pdf_pages, gt=0)
    pdf_text_seconds: StrictInt | StrictFloat = Field(default=_DEFAULT_LIMITS.pdf_text_seconds, gt=0)
    pdf_memory_mb: StrictInt = Field(default=_DEFAULT_LIMITS.pdf_memory_mb, ge=256)
    unpacked_mb: StrictInt = Field(default=_DEFAULT_LIMITS.unpacked_mb, gt=0)
    compression_ratio: StrictInt = Field(default=_DEFAULT_LIMITS.compression_ratio, gt=0)
    zip_entries: StrictInt = Field(default=_DEFAULT_LIMITS.zip_entries, gt=0)

    def file_limits(self) -> FileLimits:
        return FileLimits(
            pdf_pages=self.pdf_pages,
            pdf_text_seconds=float(self.pdf_text_seconds),
            pdf_memory_mb=self.pdf_memory_mb,
            unpacked_mb=self.unpacked_mb,
            compression_ratio=self.compression_ratio,
            zip_entries=self.zip_entries,
        )


class Protocol(_Section):
    """The whole ``review.toml``."""

    schema_version: int = SCHEMA_VERSION
    project_id: str
    database_url: Text | None = None
    review: ReviewSection
    search: SearchSection = Field(default_factory=SearchSection)
    criteria: CriteriaSection = Field(default_factory=CriteriaSection)
    deduplication: DeduplicationSection = Field(default_factory=DeduplicationSection)
    screening: ScreeningSection = Field(default_factory=ScreeningSection)
    extraction: ExtractionSection = Field(default_factory=ExtractionSection)
    appraisal: AppraisalSection = Field(default_factory=AppraisalSection)
    synthesis: SynthesisSection = Field(default_factory=SynthesisSection)
    codebook: CodebookSection = Field(default_factory=CodebookSection)
    limits: LimitsSection = Field(default_factory=LimitsSection)

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"is not allowed; this Synthesist understands schema_version = {SCHEMA_VERSION} "
                "(a newer review.toml needs a newer Synthesist)"
            )
        return version

    @field_validator("project_id")
    @classmethod
    def _id_is_plain(cls, project_id: str) -> str:
        if not _PROJECT_ID.match(project_id):
            raise ValueError(
                "is not allowed; expected letters, digits, '-', '_' or '.', no spaces "
                "(it is written once when the project is created; better not to change it)"
            )
        return project_id

    @field_validator("database_url")
    @classmethod
    def _url_parses(cls, url: str | None) -> str | None:
        # The shape of an RFC 1738 URL as SQLAlchemy reads it; only storage/ imports SQLAlchemy, and it
        # reports a URL that has the shape but not a driver when the database is opened.
        if url is not None and not _DATABASE_URL.match(url):
            raise ValueError(
                "is not a database address; expected e.g. "
                '"sqlite:///review.db" or "postgresql+psycopg://user@server/dbname"'
            )
        return url

    @classmethod
    def parse(cls, text: str, file_name: str = "review.toml") -> Protocol:
        """Validate TOML text; ``file_name`` is only used to label error locations."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise syntax_error(exc, text, file_name) from None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = describe_validation_error(exc, cls, data, text)
            raise protocol_error(problems, file_name) from None

    @classmethod
    def load(cls, path: Path) -> Protocol:
        """Read and validate ``review.toml``; every problem is a :class:`ProtocolError`."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ProtocolError(
                f"cannot read {path}: {exc.strerror or exc}",
                hint="Check that the project folder holds review.toml and that you may read it.",
            ) from None
        try:
            # utf-8-sig: Windows editors (Notepad) may start the file with a byte-order mark
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ProtocolError(
                "is not UTF-8 text",
                location=f"{path.name}:{line}",
                hint="Save review.toml as UTF-8 (in most editors: 'Save as' and choose UTF-8 encoding).",
            ) from None
        return cls.parse(text, path.name)


def load_protocol(path: Path) -> Protocol:
    """Same as :meth:`Protocol.load`."""
    return Protocol.load(path)


def render_template(title: str, project_id: str) -> str:
    """The commented ``review.toml`` for a new project, filled in with its title and id."""
    if not title.strip():
        raise ProtocolError(
            "the review title must not be empty", hint='Give a title, e.g. --title "My review".'
        )
    if not _PROJECT_ID.match(project_id):
        raise ProtocolError(f"project id {project_id!r} may only hold letters, digits, '-', '_' and '.'")
    template = resources.files("synthesist.review").joinpath("template.toml").read_text(encoding="utf-8")
    # Imported here: only `init` writes a template, and every command that opens a project imports
    # this module (tomlkit takes ~13 ms to import).
    import tomlkit

    # tomlkit writes a correctly escaped TOML string (quotes, backslashes, control characters)
    return template.replace(_TEMPLATE_TITLE, tomlkit.string(title.strip()).as_string(), 1).replace(
        _TEMPLATE_PROJECT_ID, tomlkit.string(project_id).as_string(), 1
    )
