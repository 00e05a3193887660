"""What a theme rests on: its evidence view, and the sensitivity of the themes to low-rated studies.

The **evidence view** of a theme lists, study by study, the coded findings that support it —
participants' quotes and authors' interpretations, with the page they are on, the codes and the
coders — and each contributing study's appraisal rating, so a reader can weigh the theme as
Thomas & Harden (2008) and GRADE-CERQual ask. The same codings count as in the theme × study
matrix (:mod:`synthesist.synthesis.matrix`): people's codings, not the assistant's suggestions. A
span several coders coded, or coded with several codes under the theme, is shown once. A coding
whose anchor was lost shows the words as they were when coded, marked, since the document's text
no longer holds them.

The **sensitivity view** asks, per theme, what is left without the studies rated low: a theme all
of whose contributing studies are rated low would vanish without them. Which ratings count as low
is the caller's choice (by default the last rating of the protocol's rating rules). Pure: no I/O.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import BinaryIO

from synthesist.reporting.characteristics import CharacteristicsTable, write_table
from synthesist.reporting.tables import NoteStyle, Table, html_table, markdown_table, markdown_text
from synthesist.synthesis.matrix import (
    MatrixStudy,
    ThemeMatrix,
    code_themes,
    counts_as_evidence,
    natural_key,
    theme_slug,
)
from synthesist.synthesis.model import AnchorStatus, CodingSnapshot, SpanKind, Theme
from synthesist.synthesis.themes import children
from synthesist.wording import plural

__all__ = [
    "EVIDENCE_FORMATS",
    "SENSITIVITY_FORMATS",
    "Excerpt",
    "SensitivityReport",
    "StudyEvidence",
    "ThemeEvidence",
    "ThemeSensitivity",
    "evidence_html",
    "evidence_markdown",
    "sensitivity",
    "sensitivity_table",
    "theme_anchor",
    "theme_evidence",
    "write_sensitivity",
]

EVIDENCE_FORMATS = ("md", "html")
SENSITIVITY_FORMATS = ("md", "csv", "html", "docx")
KIND_WORDS = {SpanKind.QUOTE: "participant quote", SpanKind.INTERPRETATION: "author interpretation"}
NOT_RATED = "not rated"


def theme_anchor(theme: Theme) -> str:
    """The id of a theme's evidence in a report: the conceptual model's nodes link to it."""
    return f"theme-{theme_slug(theme.name)}"


@dataclass(frozen=True, slots=True)
class Excerpt:
    document: str  # the document's title
    start: int
    end: int
    text: str
    page: int | None
    kinds: tuple[SpanKind, ...]
    codes: tuple[str, ...]
    coders: tuple[str, ...]
    lost: bool  # the document's text changed and these words are no longer in it


@dataclass(frozen=True, slots=True)
class StudyEvidence:
    study: MatrixStudy
    rating: str | None
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True, slots=True)
class ThemeEvidence:
    theme: Theme
    below: tuple[Theme, ...]  # the themes directly under it
    studies: tuple[StudyEvidence, ...]  # contributing studies, in the matrix's row order
    total: int  # M: every included study

    @property
    def count_text(self) -> str:
        return f"{len(self.studies)} of {plural(self.total, 'study', 'studies')}"


def theme_evidence(
    snapshot: CodingSnapshot,
    theme: Theme,
    studies: Sequence[MatrixStudy],
    ratings: Mapping[int, str | None],
) -> ThemeEvidence:
    """The coded findings of the included ``studies`` that roll up to ``theme``, by study."""
    rolled = code_themes(snapshot)
    codes = {code.id: code.name for code in snapshot.codes}
    documents = {document.id: document for document in snapshot.documents}
    included = {study.id: study for study in studies if study.id is not None}
    spans: dict[tuple[int, int, int], list[tuple[str, str, SpanKind, bool, str, int | None]]] = {}
    for coding in snapshot.codings:
        document = documents.get(coding.document_id)
        if document is None or document.study_id not in included or not counts_as_evidence(coding):
            continue
        if theme.id not in rolled.get(coding.code_id, ()):
            continue
        lost = coding.anchor is AnchorStatus.LOST
        text = coding.text if lost else document.text[coding.start : coding.end]
        page = coding.page if coding.page is not None else document.page_at(coding.start)
        spans.setdefault((document.id, coding.start, coding.end), []).append(
            (codes.get(coding.code_id, f"code {coding.code_id}"), coding.coder, coding.kind, lost, text, page)
        )
    by_study: dict[int, list[Excerpt]] = {}
    for (document_id, start, end), found in sorted(spans.items()):
        document = documents[document_id]
        by_study.setdefault(document.study_id, []).append(
            Excerpt(
                document=document.title,
                start=start,
                end=end,
                text=found[0][4].strip(),
                page=found[0][5],
                kinds=tuple(sorted({kind for _, _, kind, _, _, _ in found})),
                codes=tuple(sorted({code for code, *_ in found})),
                coders=tuple(sorted({coder for _, coder, *_ in found})),
                lost=all(item[3] for item in found),
            )
        )
    ordered = sorted(included.values(), key=lambda study: (natural_key(study.label), study.id or 0))
    return ThemeEvidence(
        theme=theme,
        below=tuple(children(theme.id, snapshot.themes)),
        studies=tuple(
            StudyEvidence(study, ratings.get(study.id), tuple(by_study[study.id]))
            for study in ordered
            if study.id is not None and study.id in by_study
        ),
        total=len(studies),
    )


# -- writing the evidence view -------------------------------------------------------------------


def _rating(rating: str | None) -> str:
    return rating if rating else NOT_RATED


def _cite(excerpt: Excerpt) -> str:
    parts = [f"p. {excerpt.page}" if excerpt.page is not None else "no page"]
    parts.append(" and ".join(KIND_WORDS[kind] for kind in excerpt.kinds))
    parts.append(f"{', '.join(excerpt.codes)} ({', '.join(excerpt.coders)})")
    if excerpt.lost:
        parts.append("the text changed after coding: these words are no longer in the document")
    return " · ".join(parts)


def _study_table(evidence: ThemeEvidence) -> Table:
    rows = tuple((s.study.label, _rating(s.rating), str(len(s.excerpts))) for s in evidence.studies)
    return Table(("Study", "Appraisal rating", "Excerpts"), rows, "Contributing studies")


def evidence_markdown(themes: Sequence[ThemeEvidence], title: str = "Evidence by theme") -> str:
    """Markdown, each theme under an anchor (``<a id="theme-...">``) the model's nodes link to."""
    lines = [f"# {markdown_text(title)}", ""]
    for evidence in themes:
        theme = evidence.theme
        lines += [f'<a id="{theme_anchor(theme)}"></a>', "", f"## {markdown_text(theme.name)}", ""]
        about = f"{theme.level.value.capitalize()} theme · {evidence.count_text}"
        if theme.key_terms:
            about += f" · key terms: {', '.join(theme.key_terms)}"
        lines += [f"_{markdown_text(about)}_", ""]
        if theme.definition:
            lines += [markdown_text(theme.definition), ""]
        if evidence.below:
            lines += ["Themes under it: " + markdown_text(", ".join(t.name for t in evidence.below)), ""]
        if not evidence.studies:
            lines += ["No coded findings support this theme yet.", ""]
            continue
        lines += markdown_table(_study_table(evidence))
        for study in evidence.studies:
            lines += [f"### {markdown_text(study.study.label)} ({markdown_text(_rating(study.rating))})", ""]
            for excerpt in study.excerpts:
                quoted = [f"> {markdown_text(line)}" if line else ">" for line in excerpt.text.splitlines()]
                lines += [*quoted, ">", f"> — {markdown_text(_cite(excerpt))}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


_STYLE = """body { font-family: sans-serif; margin: 2em; max-width: 60em; }
table { border-collapse: collapse; font-size: 0.9em; margin-bottom: 1em; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
blockquote { border-left: 3px solid #999; margin: 0.5em 0 1em 0; padding: 0.2em 1em; }
blockquote.lost { border-left-color: #d55e00; }
.cite { font-size: 0.85em; color: #444; }
.about { font-style: italic; }"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def evidence_html(themes: Sequence[ThemeEvidence], title: str = "Evidence by theme") -> str:
    """A standalone HTML page, each theme a ``<section id="theme-...">``; every text escaped."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_h(title)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(title)}</h1>",
    ]
    for evidence in themes:
        theme = evidence.theme
        parts.append(f'<section id="{_h(theme_anchor(theme))}">')
        parts.append(f"<h2>{_h(theme.name)}</h2>")
        about = f"{theme.level.value.capitalize()} theme · {evidence.count_text}"
        if theme.key_terms:
            about += f" · key terms: {', '.join(theme.key_terms)}"
        parts.append(f'<p class="about">{_h(about)}</p>')
        if theme.definition:
            parts.append(f"<p>{_h(theme.definition)}</p>")
        if evidence.below:
            parts.append(f"<p>Themes under it: {_h(', '.join(t.name for t in evidence.below))}</p>")
        if not evidence.studies:
            parts += ["<p>No coded findings support this theme yet.</p>", "</section>"]
            continue
        # the theme's heading says what the table is: no caption in the page
        parts.append(html_table(replace(_study_table(evidence), caption=None)))
        for study in evidence.studies:
            parts.append(f"<h3>{_h(study.study.label)} ({_h(_rating(study.rating))})</h3>")
            for excerpt in study.excerpts:
                css = ' class="lost"' if excerpt.lost else ""
                text = "<br>\n".join(_h(line) for line in excerpt.text.splitlines())
                parts.append(
                    f'<blockquote{css}><p>{text}</p>\n<p class="cite">— {_h(_cite(excerpt))}</p></blockquote>'
                )
        parts.append("</section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


# -- sensitivity ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThemeSensitivity:
    theme: Theme
    studies: tuple[MatrixStudy, ...]  # contributing
    low: tuple[MatrixStudy, ...]  # of those, rated low
    unrated: tuple[MatrixStudy, ...]  # of those, not rated (yet)

    @property
    def without_low(self) -> int:
        return len(self.studies) - len(self.low)

    @property
    def only_low(self) -> bool:
        """Every contributing study is rated low: without them the theme would vanish."""
        return bool(self.studies) and not self.without_low

    @property
    def no_better_than_low(self) -> bool:
        """No contributing study is rated above low, some are not rated yet: it may vanish."""
        return (
            bool(self.studies)
            and not self.only_low
            and len(self.low) + len(self.unrated) == len(self.studies)
        )

    @property
    def note(self) -> str:
        if self.only_low:
            return "rests only on studies rated low: it would vanish without them"
        if self.no_better_than_low:
            return "rests only on studies rated low or not rated yet"
        if self.low:
            return "holds without the studies rated low"
        return ""


@dataclass(frozen=True)
class SensitivityReport:
    low_ratings: tuple[str, ...]
    total: int  # M
    total_low: int  # included studies rated low
    themes: tuple[ThemeSensitivity, ...]

    @property
    def vanishing(self) -> list[Theme]:
        return [item.theme for item in self.themes if item.only_low]


def sensitivity(
    matrix: ThemeMatrix, ratings: Mapping[int, str | None], low_ratings: Collection[str]
) -> SensitivityReport:
    """Per theme of ``matrix``: its studies, those rated low, and how many are left without them."""
    low = {rating.casefold() for rating in low_ratings}

    def is_low(study: MatrixStudy) -> bool:
        rating = ratings.get(study.id) if study.id is not None else None
        return rating is not None and rating.casefold() in low

    def unrated(study: MatrixStudy) -> bool:
        return study.id is None or ratings.get(study.id) is None

    themes = []
    for column in matrix.columns:
        studies = tuple(matrix.studies_of(column))
        themes.append(
            ThemeSensitivity(
                theme=column.theme,
                studies=studies,
                low=tuple(s for s in studies if is_low(s)),
                unrated=tuple(s for s in studies if unrated(s)),
            )
        )
    return SensitivityReport(
        low_ratings=tuple(low_ratings),
        total=matrix.total,
        total_low=sum(1 for study in matrix.studies if is_low(study)),
        themes=tuple(themes),
    )


def sensitivity_table(report: SensitivityReport) -> CharacteristicsTable:
    low = " or ".join(report.low_ratings) or "low"
    rows = [
        [
            item.theme.name,
            f"{len(item.studies)} of {report.total}",
            ", ".join(s.label for s in item.low) or "none",
            f"{item.without_low} of {report.total - report.total_low}",
            item.note,
        ]
        for item in report.themes
    ]
    verb = "is" if report.total_low == 1 else "are"
    notes = [f"Rated low: {low}. {report.total_low} of the {report.total} included studies {verb} rated so."]
    vanishing = report.vanishing
    if vanishing:
        notes.append("Would vanish without them: " + ", ".join(theme.name for theme in vanishing) + ".")
    else:
        notes.append("No theme rests only on studies rated low.")
    return CharacteristicsTable(
        title="Sensitivity of the themes to studies rated low",
        columns=["Theme", "Studies", f"Rated {low}", "Without them", "Note"],
        rows=rows,
        notes=notes,
    )


def write_sensitivity(report: SensitivityReport, format_name: str, handle: BinaryIO) -> None:
    """Write the sensitivity table in one of :data:`SENSITIVITY_FORMATS`."""
    write_table(sensitivity_table(report), format_name, handle, notes=NoteStyle.PARAGRAPHS)
