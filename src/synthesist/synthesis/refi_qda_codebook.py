"""Reading a REFI-QDA code tree (a ``.qdc`` codebook, or the codebook of a project) into plain
data; the XML helpers :mod:`synthesist.synthesis.refi_qda_read` shares. Pure.

The mapping is described in :mod:`synthesist.synthesis.refi_qda_read`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from synthesist.errors import ImportFileError
from synthesist.synthesis.model import Page, SpanKind, ThemeLevel
from synthesist.synthesis.refi_qda import ALSO_UNDER, DESCRIPTIVE_SET, KEY_TERMS, schema_errors

__all__ = [
    "CodeTree",
    "ImportedCode",
    "ImportedCoding",
    "ImportedDocument",
    "ImportedProject",
    "ImportedTheme",
    "apply_sets",
    "child_named",
    "children_named",
    "descriptive_members",
    "local_name",
    "note_refs",
    "parse_xml",
    "read_codebook",
    "read_codes",
    "required",
    "schema_note",
    "split_description",
    "text_of",
]


@dataclass(frozen=True, slots=True)
class ImportedTheme:
    key: str  # the GUID in the file
    name: str
    level: ThemeLevel
    definition: str = ""
    key_terms: tuple[str, ...] = ()
    parent: str | None = None  # key of its analytical theme
    position: int = 0


@dataclass(frozen=True, slots=True)
class ImportedCode:
    key: str
    name: str
    definition: str = ""
    memo: str = ""
    themes: tuple[str, ...] = ()  # keys, the nesting theme first


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    key: str
    title: str
    text: str
    study: str | None  # the Case's name
    pages: tuple[Page, ...] = ()
    added_by: str = ""


@dataclass(frozen=True, slots=True)
class ImportedCoding:
    document: str  # keys
    code: str
    start: int
    end: int
    coder: str
    kind: SpanKind
    memo: str = ""


@dataclass(frozen=True)
class ImportedProject:
    name: str
    themes: tuple[ImportedTheme, ...] = ()
    codes: tuple[ImportedCode, ...] = ()
    documents: tuple[ImportedDocument, ...] = ()
    codings: tuple[ImportedCoding, ...] = ()
    notes: tuple[str, ...] = ()


# -- XML helpers ---------------------------------------------------------------------------------


def local_name(element: etree._Element) -> str:
    # namespace-agnostic: files with a misspelt or missing namespace are still read
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children_named(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element:
        if local_name(child) == name:
            yield child


def child_named(element: etree._Element, name: str) -> etree._Element | None:
    return next(children_named(element, name), None)


def text_of(element: etree._Element | None) -> str:
    return (element.text or "") if element is not None else ""


def parse_xml(data: bytes, file: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ImportFileError(f"{file}: line {error.lineno}: not well-formed XML: {error.msg}") from None


def required(element: etree._Element, attribute: str, file: str) -> str:
    value = element.get(attribute)
    if value is None or not value.strip():
        raise ImportFileError(
            f"{file}: line {element.sourceline}: <{local_name(element)}> has no {attribute}"
        )
    return value.strip()


def split_description(text: str) -> tuple[str, tuple[str, ...]]:
    """A theme's Description: the definition, and the key terms of a last ``Key terms:`` paragraph."""
    paragraphs = text.strip().split("\n\n")
    if paragraphs and paragraphs[-1].startswith(KEY_TERMS):
        terms = tuple(t.strip() for t in paragraphs[-1][len(KEY_TERMS) :].split(";") if t.strip())
        return "\n\n".join(paragraphs[:-1]).strip(), terms
    return text.strip(), ()


# -- the code tree -------------------------------------------------------------------------------


@dataclass
class CodeTree:
    file: str
    themes: list[ImportedTheme] = field(default_factory=list)
    codes: list[ImportedCode] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    theme_names: set[str] = field(default_factory=set)
    code_names: set[str] = field(default_factory=set)
    guids: set[str] = field(default_factory=set)

    def unique(self, name: str, taken: set[str], context: str | None) -> str:
        """Names are unique in Synthesist; a repeated one gets its parent's name (and a number)."""
        wanted = " ".join(name.split()) or "unnamed"
        candidate = wanted
        if candidate.casefold() in taken and context:
            candidate = f"{wanted} ({context})"
        number = 2
        while candidate.casefold() in taken:
            candidate = f"{wanted} ({number})"
            number += 1
        if candidate != wanted:
            self.notes.append(f"{wanted!r} is in the file more than once; one is imported as {candidate!r}")
        taken.add(candidate.casefold())
        return candidate


def read_codes(
    codes_element: etree._Element, file: str, descriptive: set[str], memos: dict[str, str]
) -> CodeTree:
    book = CodeTree(file)
    flattened = False

    def walk(element: etree._Element, theme: ImportedTheme | None, analytical: ImportedTheme | None) -> None:
        nonlocal flattened
        guid = required(element, "guid", file)
        if guid in book.guids:
            raise ImportFileError(f"{file}: line {element.sourceline}: code GUID {guid} is used twice")
        book.guids.add(guid)
        name = required(element, "name", file)
        codable = element.get("isCodable", "true").strip().lower() in ("true", "1")
        inner = list(children_named(element, "Code"))
        description = text_of(child_named(element, "Description"))
        memo = "\n\n".join(memos[ref] for ref in note_refs(element) if ref in memos)
        if codable and not inner:
            themes = (theme.key,) if theme else ()
            code_name = book.unique(name, book.code_names, theme.name if theme else None)
            book.codes.append(ImportedCode(guid, code_name, description.strip(), memo, themes))
            return
        # analytical at the top of the tree, unless Synthesist's set says "descriptive (no parent yet)"
        level = ThemeLevel.ANALYTICAL if theme is None and guid not in descriptive else ThemeLevel.DESCRIPTIVE
        if theme is not None and theme.level is ThemeLevel.DESCRIPTIVE:
            flattened = True
        definition, terms = split_description(description)
        siblings = [t for t in book.themes if t.parent == (analytical.key if analytical else None)]
        parent = analytical.key if level is ThemeLevel.DESCRIPTIVE and analytical else None
        theme_name = book.unique(name, book.theme_names, analytical.name if analytical else None)
        made = ImportedTheme(guid, theme_name, level, definition, terms, parent, len(siblings))
        book.themes.append(made)
        if codable:  # a parent node that is coded itself: a code of the same name keeps its codings
            code_name = book.unique(name, book.code_names, None)
            book.codes.append(ImportedCode(f"{guid}#code", code_name, "", memo, (guid,)))
        for child in inner:
            walk(child, made, made if level is ThemeLevel.ANALYTICAL else analytical)

    for element in children_named(codes_element, "Code"):
        walk(element, None, None)
    if flattened:
        book.notes.append("themes nested deeper than two levels were placed under their analytical theme")
    return book


def note_refs(element: etree._Element) -> list[str]:
    return [ref.get("targetGUID", "") for ref in children_named(element, "NoteRef")]


def _sets(root: etree._Element) -> Iterator[tuple[str, str, list[str]]]:
    """(name, description, member GUIDs) of each Set, whichever attribute names the member."""
    sets = child_named(root, "Sets")
    for element in children_named(sets, "Set") if sets is not None else []:
        members = [m.get("targetGUID") or m.get("guid") or "" for m in children_named(element, "MemberCode")]
        yield element.get("name", ""), text_of(child_named(element, "Description")).strip(), members


def apply_sets(book: CodeTree, root: etree._Element) -> None:
    by_name = {theme.name.casefold(): theme for theme in book.themes}
    codes = {code.key: index for index, code in enumerate(book.codes)}
    for name, description, members in _sets(root):
        if description != ALSO_UNDER:
            continue
        theme = by_name.get(name.casefold())
        if theme is None:
            book.notes.append(f"set {name!r} names no theme of the file; left out")
            continue
        for member in members:
            if member in codes:
                code = book.codes[codes[member]]
                if theme.key not in code.themes:
                    book.codes[codes[member]] = ImportedCode(
                        code.key, code.name, code.definition, code.memo, (*code.themes, theme.key)
                    )


def descriptive_members(root: etree._Element) -> set[str]:
    return {m for name, _, members in _sets(root) if name == DESCRIPTIVE_SET for m in members}


def read_codebook(data: bytes, file: str) -> ImportedProject:
    """Themes and codes of a ``.qdc`` codebook (or of the codebook inside a project document)."""
    root = parse_xml(data, file)
    if local_name(root) not in ("CodeBook", "Project"):
        raise ImportFileError(f"{file}: not a REFI-QDA codebook (its root element is <{local_name(root)}>)")
    codes = child_named(root, "Codes") if local_name(root) == "CodeBook" else None
    if local_name(root) == "Project":
        book_element = child_named(root, "CodeBook")
        codes = child_named(book_element, "Codes") if book_element is not None else None
    if codes is None:
        raise ImportFileError(f"{file}: the codebook has no <Codes>")
    book = read_codes(codes, file, descriptive_members(root), {})
    apply_sets(book, root)
    notes = schema_note(data, root, file) + book.notes
    return ImportedProject(
        name=root.get("name", file), themes=tuple(book.themes), codes=tuple(book.codes), notes=tuple(notes)
    )


def schema_note(data: bytes, root: etree._Element, file: str) -> list[str]:
    which = {"urn:QDA-XML:codebook:1.0": "Codebook", "urn:QDA-XML:project:1.0": "Project"}
    name = which.get(etree.QName(root).namespace or "")
    if name is None:
        return [f"{file} does not use the REFI-QDA namespace; read anyway"]
    problems = schema_errors(data, name)
    if not problems:
        return []
    return [f"{file} does not follow the REFI-QDA schema ({problems[0]}); what Synthesist reads was read"]
