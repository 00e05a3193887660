"""REFI-QDA export: the codebook as a ``.qdc`` file and the coded project as a ``.qdpx`` file, so a
team can move between Synthesist and NVivo, ATLAS.ti, MAXQDA or QualCoder. Pure: bytes in memory.

How Synthesist's synthesis maps onto the standard (REFI-QDA 1.5, QDA-XML 1.0):

* **Themes** are codes that cannot be applied (``isCodable="false"``): analytical themes at the
  top of the code tree, their descriptive themes inside them. A theme's Description is its
  definition, then a last paragraph ``Key terms: a; b; c``. A descriptive theme that has no
  analytical theme yet is listed in a Set named :data:`DESCRIPTIVE_SET`, so it comes back
  descriptive.
* **Codes** are codable codes inside their (first) theme, or at the top when they have none; the
  Description is the definition, a memo is a Note the code refers to. A code under more than one
  theme is also a member of a Set named after each further theme, described with
  :data:`ALSO_UNDER`, the only way the standard's tree can say it.
* **Documents** are TextSources whose text is a UTF-8 file ``Sources/<guid>.txt`` in the zip
  (``plainTextPath="internal://<guid>.txt"``); where its pages start is a Text variable
  :data:`PAGES_VARIABLE` ("1:0 2:1534"). Each document's **study** is a Case with the study's
  label, referring to the study's sources.
* **Codings** are PlainTextSelections (character positions, end exclusive — the same offsets as
  Synthesist's) named "participant quote" or "author interpretation", each with one Coding per
  code and coder; the **coder** is a User by name, the Coding's memo a Note.

Left out, and counted so the command can say so: the assistant's suggestions (not human coding)
and codings whose anchor was lost (their positions no longer point at the coded words). Merged
codes have no codings and are left out too. Identifiers are stable: a GUID is derived from the
project key and the row's id, so exporting twice gives the same file apart from its date.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from lxml import etree

from synthesist.synthesis.matrix import counts_as_evidence
from synthesist.synthesis.model import AnchorStatus, Code, Coding, CodingSnapshot, SpanKind, Theme, ThemeLevel
from synthesist.synthesis.themes import children

__all__ = [
    "ALSO_UNDER",
    "CODEBOOK_NS",
    "DESCRIPTIVE_SET",
    "KIND_NAMES",
    "PAGES_VARIABLE",
    "PROJECT_NS",
    "ExportResult",
    "codebook_xml",
    "project_qdpx",
    "schema_errors",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
DESCRIPTIVE_SET = "Synthesist: descriptive themes"
ALSO_UNDER = "Synthesist: codes that also sit under this theme"
PAGES_VARIABLE = "Synthesist: page starts"
KEY_TERMS = "Key terms: "
KIND_NAMES = {SpanKind.QUOTE: "participant quote", SpanKind.INTERPRETATION: "author interpretation"}
SOURCES_FOLDER = "Sources"
# the default namespace of each document (lxml-stubs do not allow the None key, hence Any)
_CODEBOOK_NSMAP: Any = {None: CODEBOOK_NS}
_PROJECT_NSMAP: Any = {None: PROJECT_NS}
_NAMESPACE = uuid.UUID("9b3f6c1e-5d0a-4f3e-9a47-2c8e1f6b7d20")  # Synthesist's, for uuid5 GUIDs


def _guid(project_key: str, kind: str, key: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{project_key}/{kind}/{key}"))


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def theme_description(theme: Theme) -> str:
    parts = [theme.definition.strip()] if theme.definition.strip() else []
    if theme.key_terms:
        parts.append(KEY_TERMS + "; ".join(theme.key_terms))
    return "\n\n".join(parts)


@dataclass
class _Tree:
    """The code tree both formats write: themes with their themes and codes, then loose codes."""

    snapshot: CodingSnapshot
    project_key: str
    codes: list[Code] = field(default_factory=list)  # every exported code
    also: dict[int, list[int]] = field(default_factory=dict)  # theme id -> codes also under it

    def __post_init__(self) -> None:
        themes = {theme.id for theme in self.snapshot.themes}
        self.codes = sorted(
            (code for code in self.snapshot.codes if code.merged_into is None),
            key=lambda code: (code.name.casefold(), code.id),
        )
        for code in self.codes:
            for theme_id in [t for t in code.theme_ids if t in themes][1:]:
                self.also.setdefault(theme_id, []).append(code.id)

    def primary(self, code: Code) -> int | None:
        themes = {theme.id for theme in self.snapshot.themes}
        return next((t for t in code.theme_ids if t in themes), None)

    def guid(self, kind: str, key: object) -> str:
        return _guid(self.project_key, kind, key)

    def build(self, parent: etree._Element, ns: str, with_notes: bool) -> None:
        def code_element(under: etree._Element, guid: str, name: str, codable: bool) -> etree._Element:
            return etree.SubElement(
                under, f"{{{ns}}}Code", guid=guid, name=name, isCodable="true" if codable else "false"
            )

        def add_code(under: etree._Element, code: Code) -> None:
            element = code_element(under, self.guid("code", code.id), code.name, True)
            if code.definition:
                etree.SubElement(element, f"{{{ns}}}Description").text = code.definition
            if with_notes and code.memo:
                etree.SubElement(element, f"{{{ns}}}NoteRef", targetGUID=self.guid("code-memo", code.id))

        def add_theme(under: etree._Element, theme: Theme) -> None:
            element = code_element(under, self.guid("theme", theme.id), theme.name, False)
            description = theme_description(theme)
            if description:
                etree.SubElement(element, f"{{{ns}}}Description").text = description
            for child in children(theme.id, self.snapshot.themes):
                add_theme(element, child)
            for code in self.codes:
                if self.primary(code) == theme.id:
                    add_code(element, code)

        for theme in children(None, self.snapshot.themes):
            add_theme(parent, theme)
        known = {theme.id for theme in self.snapshot.themes}
        orphans = [t for t in self.snapshot.themes if t.parent_id is not None and t.parent_id not in known]
        for theme in orphans:  # a theme whose parent is gone: listed at the top rather than lost
            add_theme(parent, theme)
        for code in self.codes:
            if self.primary(code) is None:
                add_code(parent, code)

    def sets(self, parent: etree._Element, ns: str, ref: str) -> None:
        """The Sets; ``ref``: how a MemberCode names its code (codebook: guid, project: targetGUID)."""
        themes = {theme.id: theme for theme in self.snapshot.themes}
        loose = [t for t in self.snapshot.themes if t.level is ThemeLevel.DESCRIPTIVE and t.parent_id is None]
        wanted = bool(loose) or bool(self.also)
        if not wanted:
            return
        sets = etree.SubElement(parent, f"{{{ns}}}Sets")
        if loose:
            element = etree.SubElement(
                sets, f"{{{ns}}}Set", guid=self.guid("set", "descriptive"), name=DESCRIPTIVE_SET
            )
            for theme in loose:
                etree.SubElement(element, f"{{{ns}}}MemberCode", {ref: self.guid("theme", theme.id)})
        for theme_id, code_ids in sorted(self.also.items()):
            element = etree.SubElement(
                sets, f"{{{ns}}}Set", guid=self.guid("also", theme_id), name=themes[theme_id].name
            )
            etree.SubElement(element, f"{{{ns}}}Description").text = ALSO_UNDER
            for code_id in code_ids:
                etree.SubElement(element, f"{{{ns}}}MemberCode", {ref: self.guid("code", code_id)})


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def codebook_xml(snapshot: CodingSnapshot, project_key: str, origin: str) -> bytes:
    """The codebook (themes and codes) as a REFI-QDA ``.qdc`` document."""
    tree = _Tree(snapshot, project_key)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap=_CODEBOOK_NSMAP, origin=origin)
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    tree.build(codes, CODEBOOK_NS, with_notes=False)
    tree.sets(root, CODEBOOK_NS, "guid")
    return _serialise(root)


@dataclass(frozen=True)
class ExportResult:
    data: bytes  # the .qdpx zip
    documents: int
    codes: int
    themes: int
    codings: int
    suggestions_left_out: int
    lost_left_out: int


def _exported_codings(snapshot: CodingSnapshot) -> tuple[list[Coding], int, int]:
    codes = {code.id for code in snapshot.codes if code.merged_into is None}
    kept, suggested, lost = [], 0, 0
    for coding in snapshot.codings:
        if not counts_as_evidence(coding):
            suggested += 1
        elif coding.anchor is AnchorStatus.LOST:
            lost += 1
        elif coding.code_id in codes:
            kept.append(coding)
    return kept, suggested, lost


def project_qdpx(
    snapshot: CodingSnapshot, project_key: str, project_name: str, origin: str, when: datetime
) -> ExportResult:
    """The coded project as a REFI-QDA ``.qdpx`` zip: ``project.qde`` and one text file per document."""
    tree = _Tree(snapshot, project_key)
    codings, suggested, lost = _exported_codings(snapshot)
    ns = PROJECT_NS
    coders = sorted(
        {coding.coder for coding in codings} | {d.added_by for d in snapshot.documents if d.added_by}
    )
    users = {name: tree.guid("user", name) for name in coders}
    root = etree.Element(
        f"{{{ns}}}Project",
        nsmap=_PROJECT_NSMAP,
        name=project_name,
        origin=origin,
        creationDateTime=_when(when) or "",
    )
    if users:
        element = etree.SubElement(root, f"{{{ns}}}Users")
        for name, guid in users.items():
            etree.SubElement(element, f"{{{ns}}}User", guid=guid, name=name)
    if tree.codes or snapshot.themes:
        book = etree.SubElement(root, f"{{{ns}}}CodeBook")
        tree.build(etree.SubElement(book, f"{{{ns}}}Codes"), ns, with_notes=True)
    documents = sorted(snapshot.documents, key=lambda d: d.id)
    paged = [d for d in documents if d.pages]
    if paged:
        variables = etree.SubElement(root, f"{{{ns}}}Variables")
        etree.SubElement(
            variables,
            f"{{{ns}}}Variable",
            guid=tree.guid("variable", "pages"),
            name=PAGES_VARIABLE,
            typeOfVariable="Text",
        )
    studies = sorted({d.study_id for d in documents})
    if studies:
        cases = etree.SubElement(root, f"{{{ns}}}Cases")
        for study_id in studies:
            label = snapshot.study_labels.get(study_id, f"S{study_id}")
            case = etree.SubElement(cases, f"{{{ns}}}Case", guid=tree.guid("study", study_id), name=label)
            for document in documents:
                if document.study_id == study_id:
                    etree.SubElement(
                        case, f"{{{ns}}}SourceRef", targetGUID=tree.guid("document", document.id)
                    )
    files: dict[str, bytes] = {}
    notes: list[tuple[str, str, str]] = [
        (tree.guid("code-memo", code.id), f"Memo on {code.name}", code.memo)
        for code in tree.codes
        if code.memo
    ]
    if documents:
        sources = etree.SubElement(root, f"{{{ns}}}Sources")
        for document in documents:
            guid = tree.guid("document", document.id)
            files[f"{SOURCES_FOLDER}/{guid}.txt"] = document.text.encode("utf-8")
            attrs = {"guid": guid, "name": document.title, "plainTextPath": f"internal://{guid}.txt"}
            if document.added_by in users:
                attrs["creatingUser"] = users[document.added_by]
            if document.added_at is not None:
                attrs["creationDateTime"] = _when(document.added_at) or ""
            source = etree.SubElement(sources, f"{{{ns}}}TextSource", attrs)
            for selection in _selections(document.id, codings):
                _add_selection(source, selection, tree, users, notes)
            if document.pages:
                value = etree.SubElement(source, f"{{{ns}}}VariableValue")
                etree.SubElement(value, f"{{{ns}}}VariableRef", targetGUID=tree.guid("variable", "pages"))
                etree.SubElement(value, f"{{{ns}}}TextValue").text = " ".join(
                    f"{page.number}:{page.start}" for page in document.pages
                )
    if notes:
        element = etree.SubElement(root, f"{{{ns}}}Notes")
        for guid, name, text in notes:
            note = etree.SubElement(element, f"{{{ns}}}Note", guid=guid, name=name)
            etree.SubElement(note, f"{{{ns}}}PlainTextContent").text = text
    tree.sets(root, ns, "targetGUID")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        stamp = when.timetuple()[:6]
        archive.writestr(zipfile.ZipInfo("project.qde", date_time=stamp), _serialise(root))
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
    return ExportResult(
        data=out.getvalue(),
        documents=len(documents),
        codes=len(tree.codes),
        themes=len(snapshot.themes),
        codings=len(codings),
        suggestions_left_out=suggested,
        lost_left_out=lost,
    )


def _selections(document_id: int, codings: Sequence[Coding]) -> Iterator[list[Coding]]:
    """The document's codings grouped by span and kind (one PlainTextSelection each), in text order."""
    groups: dict[tuple[int, int, SpanKind], list[Coding]] = {}
    for coding in codings:
        if coding.document_id == document_id:
            groups.setdefault((coding.start, coding.end, coding.kind), []).append(coding)
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2].value)):
        yield sorted(groups[key], key=lambda c: c.id)


def _add_selection(
    source: etree._Element,
    codings: list[Coding],
    tree: _Tree,
    users: dict[str, str],
    notes: list[tuple[str, str, str]],
) -> None:
    ns = PROJECT_NS
    first = codings[0]
    attrs = {
        "guid": tree.guid("selection", first.id),
        "name": KIND_NAMES[first.kind],
        "startPosition": str(first.start),
        "endPosition": str(first.end),
        "creatingUser": users[first.coder],
    }
    if first.created_at is not None:
        attrs["creationDateTime"] = _when(first.created_at) or ""
    selection = etree.SubElement(source, f"{{{ns}}}PlainTextSelection", attrs)
    for coding in codings:
        coded = {"guid": tree.guid("coding", coding.id), "creatingUser": users[coding.coder]}
        if coding.created_at is not None:
            coded["creationDateTime"] = _when(coding.created_at) or ""
        element = etree.SubElement(selection, f"{{{ns}}}Coding", coded)
        etree.SubElement(element, f"{{{ns}}}CodeRef", targetGUID=tree.guid("code", coding.code_id))
        if coding.memo:
            note = tree.guid("coding-memo", coding.id)
            etree.SubElement(element, f"{{{ns}}}NoteRef", targetGUID=note)
            notes.append((note, f"Memo on a coding by {coding.coder}", coding.memo))


# -- validation ----------------------------------------------------------------------------------


def _schema(name: str) -> etree.XMLSchema:
    text = resources.files("synthesist.synthesis").joinpath(f"refi_qda_schemas/{name}.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text))


def schema_errors(document: bytes, which: str) -> list[str]:
    """Problems of ``document`` against the REFI-QDA schema ``which`` ("Project" or "Codebook"),
    each as ``line N: message``; empty when it is valid. (The schema files are reconstructed: see
    their header.)"""
    schema = _schema(which)
    parsed = etree.fromstring(document, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if schema.validate(parsed):
        return []
    errors: Iterable[Any] = schema.error_log  # type: ignore[assignment]  # iterable; the stubs say not
    return [f"line {error.line}: {error.message}" for error in errors]
