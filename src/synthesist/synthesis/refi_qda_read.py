"""REFI-QDA import: a ``.qdc`` codebook or a ``.qdpx`` project read into plain data, checked
through, before anything is written. Pure: bytes in, :class:`ImportedProject` out.

The mapping is the one :mod:`synthesist.synthesis.refi_qda` writes, read generously so that files
from other programs come in too:

* a code that cannot be applied (``isCodable="false"``), or that has codes inside it, is a
  **theme**: analytical when no theme is above it, otherwise descriptive under the nearest
  analytical theme above it (Synthesist has two levels; deeper trees are flattened, and said so).
  A codable code with codes inside (NVivo's parent nodes) is a theme *and* a code of the same
  name, which keeps its own codings;
* every other code is a **code** under the nearest theme above it; Synthesist's Sets put a code
  under further themes and keep a parentless descriptive theme descriptive;
* TextSources (and a PDFSource's text Representation) are **documents**; the Case that refers to
  a source names its **study**; PlainTextSelections with their Codings are **codings**, a
  selection named "participant quote" or "author interpretation" giving the kind (else the
  default kind), the Coding's (else the selection's) creating User the **coder**.

Anything wrong — not a zip, no ``project.qde``, XML that does not parse, a code or user a coding
refers to that is not there, a span outside its text — is an :class:`~synthesist.errors.ImportFileError`
naming the file, the element and (for XML) the line. What is read but not kept (pictures, audio,
video, PDF regions) is listed in :attr:`ImportedProject.notes`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from synthesist.errors import ImportFileError
from synthesist.file_limits import FileLimits, check_archive
from synthesist.synthesis.model import Page, SpanKind
from synthesist.synthesis.refi_qda import KIND_NAMES, PAGES_VARIABLE
from synthesist.synthesis.refi_qda_codebook import (
    CodeTree,
    ImportedCode,
    ImportedCoding,
    ImportedDocument,
    ImportedProject,
    ImportedTheme,
    apply_sets,
    child_named,
    children_named,
    descriptive_members,
    local_name,
    note_refs,
    parse_xml,
    read_codebook,
    read_codes,
    required,
    schema_note,
    text_of,
)
from synthesist.wording import plural, plural_word, verb_for

__all__ = [
    "ImportedCode",
    "ImportedCoding",
    "ImportedDocument",
    "ImportedProject",
    "ImportedTheme",
    "read_codebook",
    "read_qdpx",
]

_MAX_ENTRY = 256 * 1024 * 1024  # bytes: a larger file inside the zip is refused (a zip bomb guard)
_KINDS = {name: kind for kind, name in KIND_NAMES.items()}


# -- the project ---------------------------------------------------------------------------------


def _zip_entries(data: bytes, file: str, limits: FileLimits) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFileError(f"{file}: not a .qdpx file (a .qdpx is a zip archive)") from None
    entries: dict[str, bytes] = {}
    with archive:
        check_archive(archive, file, limits)
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.file_size > _MAX_ENTRY:
                raise ImportFileError(
                    f"{file}: {info.filename} is too large to import ({info.file_size} bytes)"
                )
            try:
                entries[info.filename] = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                raise ImportFileError(f"{file}: {info.filename} cannot be read: {error}") from None
    return entries


def _source_text(element: etree._Element, entries: dict[str, bytes], file: str) -> str:
    inline = child_named(element, "PlainTextContent")
    if inline is not None:
        return inline.text or ""
    path = element.get("plainTextPath", "")
    if not path.startswith("internal://"):
        where = f"{file}: line {element.sourceline}: source {element.get('name', '')!r}"
        if not path:
            raise ImportFileError(f"{where} has neither PlainTextContent nor plainTextPath")
        raise ImportFileError(f"{where} refers to a file outside the project ({path})")
    name = path[len("internal://") :]
    found = [
        key for key in entries if key.replace("\\", "/").casefold().endswith("sources/" + name.casefold())
    ]
    if not found:
        raise ImportFileError(f"{file}: source {element.get('name', '')!r}: {name} is not in the archive")
    raw = entries[found[0]]
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{file}: {found[0]} is not UTF-8 text (byte {error.start})") from None


def _pages(element: etree._Element, variables: dict[str, str], file: str) -> tuple[Page, ...]:
    for value in children_named(element, "VariableValue"):
        ref = child_named(value, "VariableRef")
        if ref is None or variables.get(ref.get("targetGUID", "")) != PAGES_VARIABLE:
            continue
        pages = []
        for part in text_of(child_named(value, "TextValue")).split():
            number, _, start = part.partition(":")
            if not (number.isdigit() and start.isdigit()):
                raise ImportFileError(f"{file}: line {value.sourceline}: {part!r} is not page:start")
            pages.append(Page(int(number), int(start)))
        return tuple(pages)
    return ()


def read_qdpx(
    data: bytes,
    file: str,
    default_kind: SpanKind = SpanKind.INTERPRETATION,
    limits: FileLimits | None = None,
) -> ImportedProject:
    """Everything Synthesist keeps from a ``.qdpx``: themes, codes, documents, codings, coders.
    An archive that would unpack past ``limits`` (the defaults without them) is refused unread."""
    entries = _zip_entries(data, file, limits or FileLimits())
    qde = next((name for name in entries if name.casefold().endswith("project.qde")), None)
    if qde is None:
        raise ImportFileError(
            f"{file}: no project.qde in the archive", hint="Export the project as REFI-QDA (.qdpx)."
        )
    where = f"{file}:{qde}"
    root = parse_xml(entries[qde], where)
    if local_name(root) != "Project":
        raise ImportFileError(f"{where}: the root element is <{local_name(root)}>, not <Project>")
    users = {
        u.get("guid", ""): (u.get("name") or u.get("id") or "").strip() for u in _all(root, "Users", "User")
    }
    notes_text = {
        note.get("guid", ""): _source_text(note, entries, where).strip()
        for note in _all(root, "Notes", "Note")
    }
    variables = {v.get("guid", ""): v.get("name", "") for v in _all(root, "Variables", "Variable")}
    book_element = child_named(root, "CodeBook")
    codes_element = child_named(book_element, "Codes") if book_element is not None else None
    book = (
        read_codes(codes_element, where, descriptive_members(root), notes_text)
        if codes_element is not None
        else CodeTree(where)
    )
    apply_sets(book, root)
    study_of: dict[str, str] = {}
    for case in _all(root, "Cases", "Case"):
        for ref in children_named(case, "SourceRef"):
            study_of.setdefault(ref.get("targetGUID", ""), (case.get("name") or "").strip())
    code_keys = {code.key for code in book.codes}
    theme_keys = {theme.key: theme for theme in book.themes}
    twins: dict[str, ImportedCode] = {}
    documents: list[ImportedDocument] = []
    codings: list[ImportedCoding] = []
    skipped: dict[str, int] = {}
    defaulted = 0
    anonymous = 0

    def code_key(ref: str, line: int) -> str:
        if ref in code_keys:
            return ref
        if f"{ref}#code" in code_keys:
            return f"{ref}#code"
        if ref in theme_keys:  # a theme coded directly: a code of its name takes the coding
            theme = theme_keys[ref]
            twins.setdefault(
                ref,
                ImportedCode(f"{ref}#code", book.unique(theme.name, book.code_names, None), themes=(ref,)),
            )
            return f"{ref}#code"
        raise ImportFileError(
            f"{where}: line {line}: a coding refers to code {ref}, which is not in the codebook"
        )

    def coder_of(*elements: etree._Element) -> str:
        nonlocal anonymous
        for element in elements:
            guid = element.get("creatingUser")
            if guid:
                if guid not in users:
                    raise ImportFileError(
                        f"{where}: line {element.sourceline}: user {guid} is not among the Users"
                    )
                return users[guid] or guid
        anonymous += 1
        return "imported"

    sources = child_named(root, "Sources")
    for element in list(sources) if sources is not None else []:
        kind_of_source = local_name(element)
        if kind_of_source == "PDFSource":
            representation = child_named(element, "Representation")
            if list(children_named(element, "PDFSelection")):
                skipped["PDF regions"] = skipped.get("PDF regions", 0) + len(
                    list(children_named(element, "PDFSelection"))
                )
            if representation is None:
                skipped["PDF sources without text"] = skipped.get("PDF sources without text", 0) + 1
                continue
            text_element, name_element = representation, element
        elif kind_of_source == "TextSource":
            text_element = name_element = element
        else:
            if kind_of_source:
                skipped[kind_of_source] = skipped.get(kind_of_source, 0) + 1
            continue
        guid = required(name_element, "guid", where)
        text = _source_text(text_element, entries, where)
        title = (name_element.get("name") or guid).strip()
        added_by = users.get(name_element.get("creatingUser", ""), "")
        documents.append(
            ImportedDocument(
                guid, title, text, study_of.get(guid), _pages(name_element, variables, where), added_by
            )
        )
        spans = [(s, s.get("name", "")) for s in children_named(text_element, "PlainTextSelection")]
        whole = list(children_named(text_element, "Coding"))
        for selection, name in spans:
            start, end = (
                _position(selection, "startPosition", where),
                _position(selection, "endPosition", where),
            )
            if not 0 <= start < end <= len(text):
                raise ImportFileError(
                    f"{where}: line {selection.sourceline}: span {start}-{end} of source {title!r} is "
                    f"outside its text ({len(text)} characters)"
                )
            kind = _KINDS.get(name.strip().casefold())
            if kind is None:
                kind = default_kind
                defaulted += 1
            memo = "\n\n".join(notes_text[r] for r in note_refs(selection) if r in notes_text)
            for coding in children_named(selection, "Coding"):
                code_ref = child_named(coding, "CodeRef")
                if code_ref is None:
                    raise ImportFileError(f"{where}: line {coding.sourceline}: a Coding without a CodeRef")
                own = "\n\n".join(notes_text[r] for r in note_refs(coding) if r in notes_text)
                codings.append(
                    ImportedCoding(
                        guid,
                        code_key(required(code_ref, "targetGUID", where), _line(coding)),
                        start,
                        end,
                        coder_of(coding, selection),
                        kind,
                        own or memo,
                    )
                )
        for coding in whole:
            code_ref = child_named(coding, "CodeRef")
            if code_ref is None or not text:
                continue
            codings.append(
                ImportedCoding(
                    guid,
                    code_key(required(code_ref, "targetGUID", where), _line(coding)),
                    0,
                    len(text),
                    coder_of(coding),
                    default_kind,
                )
            )
            defaulted += 1
    notes = schema_note(entries[qde], root, where) + book.notes
    notes += [f"{count} {what} left out (Synthesist codes text)" for what, count in sorted(skipped.items())]
    if defaulted:
        notes.append(
            f"{plural(defaulted, 'coded span')} without a kind {verb_for(defaulted, 'was', 'were')} "
            f"imported as {plural_word(defaulted, KIND_NAMES[default_kind])}"
        )
    if anonymous:
        notes.append(
            f"{plural(anonymous, 'coding')} without a user {verb_for(anonymous, 'was', 'were')} "
            "imported as coder 'imported'"
        )
    return ImportedProject(
        name=root.get("name", file),
        themes=tuple(book.themes),
        codes=(*book.codes, *twins.values()),
        documents=tuple(documents),
        codings=tuple(codings),
        notes=tuple(notes),
    )


def _all(root: etree._Element, container: str, item: str) -> Iterator[etree._Element]:
    found = child_named(root, container)
    if found is not None:
        yield from children_named(found, item)


def _position(element: etree._Element, attribute: str, file: str) -> int:
    value = required(element, attribute, file)
    try:
        return int(value)
    except ValueError:
        raise ImportFileError(
            f"{file}: line {element.sourceline}: {attribute}={value!r} is not a whole number"
        ) from None


def _line(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 0
