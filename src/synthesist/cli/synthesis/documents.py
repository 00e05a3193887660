"""``synthesist doc add|list|show|replace|anchors|place``: the findings texts to code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.errors import UserError
from synthesist.services.synthesis.coding import document_view, list_documents
from synthesist.services.synthesis.documents import (
    add_document,
    anchor_problems,
    place_coding,
    replace_document,
)
from synthesist.synthesis.model import Coding, CodingOrigin, Document
from synthesist.synthesis.spans import SpanRequest
from synthesist.wording import plural

__all__ = ["DocumentArgument", "coding_json", "marked_text", "register"]


DocumentArgument = Annotated[
    str, typer.Argument(help='The document: its id (3 or D3), or its study ("Cooper 2008") if it has one.')
]
FileOption = Annotated[
    Path | None,
    typer.Option("--file", "-f", help="A PDF, Word (.docx) or text (.txt) file with the findings."),
]
ReportOption = Annotated[
    int | None, typer.Option("--report", help="A full-text report attached to the study (fulltext list).")
]
PagesOption = Annotated[
    str | None,
    typer.Option("--pages", help="Only these pages of the report, e.g. 5-9 (numbered as in the file)."),
]
PasteOption = Annotated[
    bool, typer.Option("--paste", help="Read the text from standard input (paste, then Ctrl-D).")
]


def _pasted(paste: bool) -> str | None:
    if not paste:
        return None
    text = sys.stdin.read()
    if not text.strip():
        raise UserError(
            "nothing was pasted", hint="Paste the text, then press Ctrl-D (Ctrl-Z Enter on Windows)."
        )
    return text


def add(
    study: Annotated[
        str, typer.Argument(help='The included study: its label ("Cooper 2008"), a record id or S3.')
    ],
    report: ReportOption = None,
    pages: PagesOption = None,
    file: FileOption = None,
    paste: PasteOption = False,
    title: Annotated[str | None, typer.Option("--title", help="A title for the document.")] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a study's findings text for coding: from one of its full-text reports (page numbers kept,
    so every coded quote has its page), from a file, or pasted.

    Example: synthesist doc add "Cooper 2008" --report 3 --pages 5-9

    Example: synthesist doc add "Matthias 2010" --file matthias-findings.docx

    Example: pbpaste | synthesist doc add S4 --paste --title "Findings (Table 2)"
    """
    with open_project(project, actor) as workspace:
        document = add_document(
            workspace, study, text=_pasted(paste), file=file, report_id=report, pages=pages, title=title
        )
    if as_json:
        print_json(document_json(document))
        return
    pages_text = f", pages {document.pages[0].number}-{document.pages[-1].number}" if document.pages else ""
    console.print(
        f"Added document {document.id} {escape(repr(document.title))}: {len(document.text)} characters"
        f"{pages_text}. Next: synthesist doc show {document.id} --segments"
    )


def list_command(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """List the documents with their study, codings, suggestions and coders.

    Example: synthesist doc list
    """
    with open_project(project) as workspace:
        summaries = list_documents(workspace)
    if as_json:
        print_json(
            [
                document_json(s.document, with_text=False)
                | {
                    "study": s.study,
                    "codings": s.codings,
                    "suggestions": s.suggestions,
                    "flagged": s.flagged,
                    "coders": s.coders,
                }
                for s in summaries
            ]
        )
        return
    table = Table(title=plural(len(summaries), "document"), title_justify="left")
    for column in ("id", "study", "title", "source", "chars", "codings", "suggested", "flagged", "coders"):
        table.add_column(column, justify="right" if column in ("id", "chars", "codings") else "left")
    for s in summaries:
        d = s.document
        table.add_row(
            f"D{d.id}",
            escape(s.study),
            escape(d.title),
            d.source.value + (f" v{d.version}" if d.version > 1 else ""),
            str(len(d.text)),
            str(s.codings),
            str(s.suggestions),
            f"[yellow]{s.flagged}[/]" if s.flagged else "0",
            escape(", ".join(s.coders)),
        )
    console.print(table)


def show(
    document: DocumentArgument,
    segments: Annotated[
        bool, typer.Option("--segments", "-s", help="One numbered segment per line.")
    ] = False,
    codings: Annotated[
        bool, typer.Option("--codings", "-c", help="List the codings after the text.")
    ] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a document's text with its coded spans marked: [ where a coding starts, ]12 where coding
    12 ends (suggestions in grey). With --segments, each segment on its own numbered line.

    Example: synthesist doc show D3 --segments --codings
    """
    with open_project(project) as workspace:
        view = document_view(workspace, document)
    doc = view.document
    if as_json:
        print_json(
            document_json(doc)
            | {
                "study": view.study,
                "segments": [
                    {"number": s.number, "start": s.content_start, "end": s.content_end}
                    for s in view.segments
                ],
                "codings": [coding_json(c, view.code_names) for c in view.codings],
            }
        )
        return
    console.print(f"[bold]D{doc.id} {escape(doc.title)}[/] — {escape(view.study)}, version {doc.version}")
    if segments:
        for segment in view.segments:
            line = Text(f"{segment.number:>4}  ", style="dim")
            page = doc.page_at(segment.content_start)
            if page is not None and any(p.start == segment.start for p in doc.pages):
                console.print(Text(f"      — page {page} —", style="dim"))
            line.append_text(marked_text(doc.text, view.codings, segment.content_start, segment.content_end))
            console.print(line)
    else:
        console.print(marked_text(doc.text, view.codings, 0, len(doc.text)))
    if codings:
        console.print(codings_table(view.codings, view.code_names, doc))


def replace(
    document: DocumentArgument,
    file: FileOption = None,
    report: ReportOption = None,
    pages: PagesOption = None,
    paste: PasteOption = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Give a document a new version of its text. Every coding is looked for again: where its words
    are found once (or, if several times, once in the same surroundings) it moves there
    (re-anchored); otherwise it stays flagged as lost for a reviewer — it is never shifted to a guess.

    Example: synthesist doc replace D3 --file cooper-2008-corrected.txt
    """
    with open_project(project, actor) as workspace:
        result = replace_document(
            workspace, document, text=_pasted(paste), file=file, report_id=report, pages=pages
        )
    if as_json:
        print_json(
            {
                "document": result.document.id,
                "version": result.document.version,
                "unchanged": [c.id for c in result.unchanged],
                "reanchored": [c.id for c in result.reanchored],
                "lost": [c.id for c in result.lost],
            }
        )
        return
    console.print(
        f"Document {result.document.id} is now version {result.document.version}: {len(result.unchanged)} "
        f"codings in place, {len(result.reanchored)} re-anchored, {len(result.lost)} lost."
    )
    if result.reanchored or result.lost:
        console.print(f"Check them: synthesist doc anchors {result.document.id}")


def anchors(
    document: Annotated[str | None, typer.Argument(help="Only this document (default: all).")] = None,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List codings whose document text changed under them: lost ones (their words are gone or
    ambiguous: place or remove them) and re-anchored ones (moved to where their words are now).

    Example: synthesist doc anchors D3
    """
    with open_project(project) as workspace:
        problems = anchor_problems(workspace, document)
    if as_json:
        print_json([coding_json(stored.coding) | {"document_title": doc.title} for doc, stored in problems])
        return
    if not problems:
        console.print("Every coding is where it was made.")
        return
    table = Table(title=f"{plural(len(problems), 'coding')} to check", title_justify="left")
    for column in ("coding", "document", "anchor", "coder", "coded words", "now at"):
        table.add_column(column)
    for doc, stored in problems:
        coding = stored.coding
        lost = coding.anchor.value == "lost"
        table.add_row(
            f"C{coding.id}",
            f"D{doc.id}",
            f"[red]{coding.anchor.value}[/]" if lost else f"[yellow]{coding.anchor.value}[/]",
            escape(coding.coder),
            escape(_excerpt(coding.text)),
            "—" if lost else escape(_excerpt(doc.text[coding.start : coding.end])),
        )
    console.print(table)
    console.print(
        "Place one: synthesist doc place CODING --text PHRASE (or --segment N); remove one: synthesist code "
        "remove CODING"
    )


def place(
    coding: Annotated[str, typer.Argument(help="The coding (12 or C12).")],
    segment: Annotated[str | None, typer.Option("--segment", help="Segment N or N-M.")] = None,
    span: Annotated[str | None, typer.Option("--span", help="Character offsets START:END.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="A phrase of the document.")] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Put a lost or re-anchored coding on the text it belongs to; it is then in place again.

    Example: synthesist doc place C12 --text "nobody explained what was wrong"
    """
    with open_project(project, actor) as workspace:
        placed = place_coding(workspace, coding, SpanRequest(segment=segment, span=span, text=text))
    console.print(
        f"Coding {placed.id} now covers [{placed.start}:{placed.end}]: {escape(_excerpt(placed.text))}"
    )


def marked_text(text: str, codings: list[Coding], start: int, end: int) -> Text:
    """``text[start:end]`` with "[" where a coding starts and "]ID" where it ends."""
    marks: list[tuple[int, int, str, str]] = []
    for coding in codings:
        style = "dim magenta" if coding.origin is CodingOrigin.SUGGESTED else "bold cyan"
        if start <= coding.start < end or (coding.start < start < coding.end):
            marks.append((max(coding.start, start), 1, "[", style))
        if start < coding.end <= end:
            marks.append((coding.end, 0, f"]{coding.id}", style))
    marks.sort(key=lambda mark: (mark[0], mark[1]))
    out = Text()
    position = start
    for offset, _, label, style in marks:
        out.append(text[position:offset])
        out.append(label, style=style)
        position = offset
    out.append(text[position:end])
    return out


def codings_table(codings: list[Coding], names: dict[int, str], document: Document) -> Table:
    table = Table(title=plural(len(codings), "coding"), title_justify="left")
    for column in ("coding", "code", "coder", "kind", "span", "page", "anchor", "text"):
        table.add_column(column)
    for c in codings:
        coder = f"{c.coder} ({c.score:.2f})" if c.origin is CodingOrigin.SUGGESTED and c.score else c.coder
        table.add_row(
            f"C{c.id}",
            escape(names.get(c.code_id, str(c.code_id))),
            escape(coder),
            "quote" if c.kind.value == "participant_quote" else "interpretation",
            f"{c.start}:{c.end}",
            str(c.page or ""),
            c.anchor.value,
            escape(_excerpt(c.text)),
        )
    return table


def document_json(document: Document, *, with_text: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": document.id,
        "study_id": document.study_id,
        "title": document.title,
        "source": document.source.value,
        "report_id": document.report_id,
        "sha256": document.text_sha256,
        "version": document.version,
        "characters": len(document.text),
        "pages": [{"number": p.number, "start": p.start} for p in document.pages],
    }
    if with_text:
        data["text"] = document.text
    return data


def coding_json(coding: Coding, names: dict[int, str] | None = None) -> dict[str, Any]:
    return {
        "id": coding.id,
        "document": coding.document_id,
        "code_id": coding.code_id,
        "code": (names or {}).get(coding.code_id),
        "coder": coding.coder,
        "kind": coding.kind.value,
        "origin": coding.origin.value,
        "anchor": coding.anchor.value,
        "start": coding.start,
        "end": coding.end,
        "page": coding.page,
        "text": coding.text,
        "memo": coding.memo,
        "score": coding.score,
    }


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def register(app: typer.Typer) -> None:
    """Add the document commands to the ``doc`` group."""
    app.command()(add)
    app.command("list")(list_command)
    app.command()(show)
    app.command()(replace)
    app.command()(anchors)
    app.command()(place)
