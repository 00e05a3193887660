"""Naming documents, codes, themes and codings on the command line, and finding them.

* a document: its id (``3`` or ``D3``), or a study (its label "Cooper 2008", ``S3``) that has
  exactly one document;
* a code or a theme: its name, compared without case (a miss suggests close names); a code that was
  merged away is named with where it went;
* a coding: its id (``12`` or ``C12``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from synthesist.errors import NotFound, UserError
from synthesist.synthesis.model import Code, Document, Theme

__all__ = ["coding_id", "find_code", "find_document", "find_theme", "same_name"]

_DOCUMENT_ID = re.compile(r"^\s*[Dd]?(\d+)\s*$")
_CODING_ID = re.compile(r"^\s*[Cc]?(\d+)\s*$")
_STUDY_ID = re.compile(r"^\s*[Ss](\d+)\s*$")


def same_name(first: str, second: str) -> bool:
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def find_document(documents: Sequence[Document], reference: str | int, labels: Mapping[int, str]) -> Document:
    """The document ``reference`` names; ``labels`` are the studies' labels by id."""
    text = str(reference).strip()
    by_id = _DOCUMENT_ID.match(text)
    if by_id:
        wanted = int(by_id.group(1))
        for document in documents:
            if document.id == wanted:
                return document
        raise NotFound(f"no document {wanted}", hint=_DOCUMENTS_HINT)
    by_study = _STUDY_ID.match(text)
    if by_study:
        study_ids = {int(by_study.group(1))}
    else:
        study_ids = {study_id for study_id, label in labels.items() if same_name(label, text)}
    matches = [document for document in documents if document.study_id in study_ids]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "; ".join(f"D{document.id} {document.title!r}" for document in matches)
        raise UserError(
            f"study {text!r} has {len(matches)} documents: {listed}", hint="Name one by its id (D3)."
        )
    if study_ids:
        raise NotFound(
            f"study {text!r} has no document yet", hint="Add one: synthesist doc add STUDY --file F"
        )
    raise NotFound(
        f"no document for {text!r}",
        hint="`synthesist doc list` lists the documents; `synthesist doc add STUDY --file F` adds one.",
    )


def find_code(codes: Sequence[Code], name: str, *, allow_merged: bool = False) -> Code:
    wanted = name.strip()
    if not wanted:
        raise UserError("name the code")
    for code in codes:
        if same_name(code.name, wanted):
            if code.merged_into is not None and not allow_merged:
                into = next((c.name for c in codes if c.id == code.merged_into), str(code.merged_into))
                raise UserError(f"code {code.name!r} was merged into {into!r}", hint=f"Use {into!r}.")
            return code
    live = [code.name for code in codes if code.merged_into is None]
    raise NotFound(
        f"no code called {wanted!r}{_close(wanted, live)}",
        hint="`synthesist code list` lists the codes; `synthesist code add NAME` creates one.",
    )


def find_theme(themes: Sequence[Theme], name: str) -> Theme:
    wanted = name.strip()
    if not wanted:
        raise UserError("name the theme")
    for theme in themes:
        if same_name(theme.name, wanted):
            return theme
    raise NotFound(
        f"no theme called {wanted!r}{_close(wanted, [theme.name for theme in themes])}",
        hint="`synthesist theme list` lists the themes; `synthesist theme add NAME --level ...` creates one.",
    )


def coding_id(reference: str | int) -> int:
    match = _CODING_ID.match(str(reference))
    if match is None:
        raise UserError(f"{reference!r} is not a coding id (12 or C12)")
    return int(match.group(1))


def _close(wanted: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(name) for name in close)}?)" if close else ""


_DOCUMENTS_HINT = "`synthesist doc list` lists the documents and their ids."
