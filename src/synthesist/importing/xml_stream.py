"""XML for the XML readers (EndNote, PubMed): streaming one record element at a time, and text helpers.

lxml's iterparse keeps every element it has built unless told otherwise; clearing each record and
deleting the empty shells before it keeps memory flat for 100,000-record files. Entities and DTDs
are never resolved or fetched (no network, no entity expansion attacks).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from synthesist.errors import ImportFileError
from synthesist.importing.source import SourceFile
from synthesist.records.clean import clean_text

__all__ = ["element_excerpt", "element_text", "joined_text", "stream_elements"]

_EXCERPT_CHARS = 200


def stream_elements(
    source: SourceFile,
    tags: tuple[str, ...],
    *,
    roots: tuple[str, ...],
    format_label: str,
    export_hint: str,
) -> Iterator[etree._Element]:
    """Yield every element whose tag is in ``tags``, in file order.

    ``roots`` are the root element names the format may have; another root is refused with
    ``export_hint``. Broken or cut-short XML, and a file with no such element, raise
    :class:`ImportFileError` with the line.
    """
    count = 0
    root_checked = False
    try:
        with open(source.path, "rb") as handle:
            events = etree.iterparse(
                handle,
                events=("start", "end"),
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=True,
            )
            for event, element in events:
                if event == "start":
                    if not root_checked:
                        root_checked = True
                        if element.tag not in roots:
                            raise ImportFileError(
                                f"{source.name}:{element.sourceline}: not {format_label} "
                                f"(the root element is <{element.tag}>, not <{roots[0]}>)",
                                hint=export_hint,
                            )
                    continue
                if element.tag not in tags:
                    continue
                count += 1
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 1)
        message = str(exc.msg or exc).split(", line ")[0]
        raise ImportFileError(
            f"{source.name}:{line}: the XML is broken or cut short ({message})",
            hint=f"The file is probably truncated or damaged. {export_hint}",
        ) from exc
    if count == 0:
        names = " or ".join(f"<{tag}>" for tag in tags)
        raise ImportFileError(f"{source.name}:1: no {names} elements found", hint=export_hint)


def joined_text(element: etree._Element) -> str:
    """All text under the element (inside style or markup children too)."""
    return "".join(str(text) for text in element.itertext())


def element_text(element: etree._Element | None) -> str | None:
    """The element's cleaned text, ``None`` when the element is missing or empty."""
    if element is None:
        return None
    return clean_text(joined_text(element))


def element_excerpt(element: etree._Element) -> str:
    """The start of the element's XML, for a reject report."""
    return etree.tostring(element, encoding="unicode", with_tail=False)[:_EXCERPT_CHARS]
