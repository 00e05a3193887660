"""The reference review's theme assignments (tests/data/reference_theme_assignments.toml) and a
hand-built :class:`CodingSnapshot` that reproduces them, for the pure tests of the outputs.

Each analytical theme has one descriptive theme under it and one code under that, so a coding
counts for the analytical theme only by rolling up through the descriptive one."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from synthesist.synthesis.matrix import MatrixStudy
from synthesist.synthesis.model import (
    Code,
    Coding,
    CodingSnapshot,
    Document,
    DocumentSource,
    Page,
    SpanKind,
    Theme,
    ThemeLevel,
)

ASSIGNMENTS = Path(__file__).resolve().parents[1] / "data" / "reference_theme_assignments.toml"


@dataclass(frozen=True)
class ReferenceTheme:
    name: str
    key_terms: tuple[str, ...]
    count: int
    studies: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    studies: tuple[str, ...]  # labels, in Table 2's row order
    themes: tuple[ReferenceTheme, ...]


def load_reference() -> Reference:
    data = tomllib.loads(ASSIGNMENTS.read_text(encoding="utf-8"))
    return Reference(
        studies=tuple(study["label"] for study in data["studies"]),
        themes=tuple(
            ReferenceTheme(t["name"], tuple(t["key_terms"]), t["count"], tuple(t["studies"]))
            for t in data["themes"]
        ),
    )


def finding_text(study: str, theme: str) -> str:
    return f"In {study}, participants spoke about {theme.lower()}."


def reference_snapshot() -> tuple[CodingSnapshot, list[MatrixStudy]]:
    """Study ids 1..10 in Table 2's order; theme ids: analytical 101.., descriptive 201..; code ids 301.."""
    reference = load_reference()
    study_ids = {label: index for index, label in enumerate(reference.studies, start=1)}
    themes: list[Theme] = []
    codes: list[Code] = []
    for index, theme in enumerate(reference.themes):
        themes.append(
            Theme(101 + index, theme.name, ThemeLevel.ANALYTICAL, key_terms=theme.key_terms, position=index)
        )
        themes.append(
            Theme(201 + index, f"{theme.name} (as described)", ThemeLevel.DESCRIPTIVE, parent_id=101 + index)
        )
        codes.append(Code(301 + index, f"code for {theme.name.lower()}", theme_ids=(201 + index,)))
    documents: list[Document] = []
    codings: list[Coding] = []
    for label, study_id in study_ids.items():
        parts: list[tuple[int, str]] = []  # (theme index, sentence)
        for index, theme in enumerate(reference.themes):
            if label in theme.studies:
                parts.append((index, finding_text(label, theme.name)))
        text = ""
        spans: list[tuple[int, int, int]] = []
        for index, sentence in parts:
            spans.append((index, len(text), len(text) + len(sentence)))
            text += sentence + "\n"
        documents.append(
            Document(
                id=study_id,
                study_id=study_id,
                title=f"{label}: findings",
                source=DocumentSource.PASTED,
                text=text,
                text_sha256=hashlib.sha256(text.encode()).hexdigest(),
                pages=(Page(1, 0),),
            )
        )
        for index, start, end in spans:
            codings.append(
                Coding(
                    id=len(codings) + 1,
                    document_id=study_id,
                    code_id=301 + index,
                    start=start,
                    end=end,
                    coder="aoife",
                    kind=SpanKind.QUOTE if index % 2 else SpanKind.INTERPRETATION,
                    text=text[start:end],
                    page=1,
                )
            )
    snapshot = CodingSnapshot(
        documents=tuple(documents),
        codes=tuple(codes),
        themes=tuple(themes),
        codings=tuple(codings),
        study_labels={study_id: label for label, study_id in study_ids.items()},
    )
    return snapshot, [MatrixStudy(study_id, label) for label, study_id in study_ids.items()]
