"""``synthesist code ...``: applying codes to text, the codes themselves (add, list, show, rename,
define, memo, merge, split), and consensus between two coders (agree, disagreements, resolve)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.cli.synthesis.documents import DocumentArgument, coding_json
from synthesist.services.synthesis.agreement import agree_document, list_disagreements, resolve_disagreement
from synthesist.services.synthesis.codes import (
    code_detail,
    create_code,
    define_code,
    list_codes,
    merge_codes,
    rename_code,
    split_code,
    write_code_memo,
)
from synthesist.services.synthesis.coding import apply_code, remove_coding
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.synthesis.model import Code, CodingOrigin, CodingSnapshot, Theme
from synthesist.synthesis.themes import children
from synthesist.wording import plural

__all__ = ["code_counts", "register", "theme_tree"]


CodeArgument = Annotated[str, typer.Argument(help="The code's name.")]
WithOption = Annotated[list[str], typer.Option("--with", help="One of the two coders (give --with twice).")]


def add(
    name: CodeArgument,
    definition: Annotated[str, typer.Option("--definition", "-d", help="What the code means.")] = "",
    key_terms: Annotated[
        str | None, typer.Option("--key-terms", help='Words that suggest it: "a, b".')
    ] = None,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", help="A theme to put it under (repeatable).")
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Create a code (optionally under themes that exist).

    Example: synthesist code add "being listened to" --theme "Effective communication"
    """
    with open_project(project, actor) as workspace:
        code = create_code(
            workspace, name, definition=definition, key_terms=key_terms or (), themes=theme or []
        )
    console.print(f"Created code {code.id} {escape(repr(code.name))}.")


def apply(
    document: DocumentArgument,
    code: CodeArgument,
    kind: Annotated[
        str,
        typer.Option("--kind", "-k", help="quote (a participant's words) or interpretation (the authors')."),
    ],
    segment: Annotated[
        str | None, typer.Option("--segment", "-s", help="Segment N, or N-M for a run.")
    ] = None,
    span: Annotated[
        str | None, typer.Option("--span", help="Character offsets START:END (END exclusive).")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", "-t", help="A phrase of the document (within --segment if given).")
    ] = None,
    memo: Annotated[str, typer.Option("--memo", help="A note kept with the coding.")] = "",
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Apply a code to a span of a document. One coder applying the same code to text overlapping
    their own earlier coding of it is refused (remove the earlier one first); other codes and other
    coders may share the span.

    Example: synthesist code apply D3 "being listened to" --segment 12 --kind quote --as alice

    Example: synthesist code apply "Cooper 2008" trust --text "someone they could trust" --kind interpretation
    """
    with open_project(project, actor) as workspace:
        name = workspace.actor  # the protocol's spelling when actor is an account's login
        coding = apply_code(
            workspace, document, code, segment=segment, span=span, text=text, kind=kind, coder=name, memo=memo
        )
    if as_json:
        print_json(coding_json(coding))
        return
    page = f", page {coding.page}" if coding.page else ""
    console.print(
        f"Coding {coding.id}: {escape(repr(code))} on [{coding.start}:{coding.end}]{page} by {escape(name)}: "
        f"{escape(_excerpt(coding.text))}"
    )


def remove(
    coding: Annotated[str, typer.Argument(help="The coding (12 or C12).")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Take a coding off (it stays in the history, stamped removed).

    Example: synthesist code remove C12
    """
    with open_project(project, actor) as workspace:
        removed = remove_coding(workspace, coding)
    console.print(f"Removed coding {removed.id} ({escape(removed.coder)}, [{removed.start}:{removed.end}]).")


def list_command(
    tree: Annotated[bool, typer.Option("--tree", help="Under their themes.")] = False,
    merged: Annotated[bool, typer.Option("--merged", help="Also codes merged into others.")] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the codes with how often each is used (people's and consensus codings, documents,
    studies), or the whole tree of themes and codes.

    Example: synthesist code list --tree
    """
    with open_project(project) as workspace:
        snapshot = coding_snapshot(workspace)
        codes = list_codes(workspace, merged=merged)
    counts = code_counts(snapshot)
    if as_json:
        print_json([_code_json(code, counts.get(code.id, (0, 0, 0))) for code in codes])
        return
    if tree:
        console.print(theme_tree(snapshot, counts))
        return
    table = Table(title=plural(len(codes), "code"), title_justify="left")
    for column in ("id", "code", "codings", "documents", "studies", "definition"):
        table.add_column(column)
    for code in codes:
        used, docs, studies = counts.get(code.id, (0, 0, 0))
        name = code.name + (" (merged)" if code.merged_into else "")
        table.add_row(
            str(code.id), escape(name), str(used), str(docs), str(studies), escape(_excerpt(code.definition))
        )
    console.print(table)


def show(code: CodeArgument, project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """Show a code: definition, key terms, themes, memos, history and codings.

    Example: synthesist code show "being listened to"
    """
    with open_project(project) as workspace:
        detail = code_detail(workspace, code)
    found = detail.code
    if as_json:
        print_json(
            _code_json(found, (len(detail.codings), 0, 0))
            | {
                "themes": detail.theme_names,
                "history": [
                    {"action": h.action.value, "detail": h.detail, "by": h.acted_by, "at": h.acted_at}
                    for h in detail.history
                ],
                "codings": [coding_json(s.coding) for s in detail.codings],
            }
        )
        return
    console.print(f"[bold]{escape(found.name)}[/] (code {found.id})")
    for label, value in (
        ("Definition", found.definition),
        ("Key terms", ", ".join(found.key_terms)),
        ("Themes", ", ".join(detail.theme_names)),
        ("Memos", found.memo),
    ):
        if value:
            console.print(f"{label}: {escape(value)}")
    for entry in detail.history:
        console.print(
            f"  {entry.acted_at:%Y-%m-%d %H:%M} {escape(entry.acted_by)}: {entry.action.value} "
            f"{escape(str(entry.detail))}"
        )
    for stored in detail.codings:
        c = stored.coding
        console.print(
            f"  C{c.id} D{c.document_id} [{c.start}:{c.end}] {escape(c.coder)}: {escape(_excerpt(c.text))}"
        )


def rename(
    old: CodeArgument,
    new: Annotated[str, typer.Argument(help="The new name.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Rename a code (its history keeps the old name).

    Example: synthesist code rename "listened" "being listened to"
    """
    with open_project(project, actor) as workspace:
        code = rename_code(workspace, old, new)
    console.print(f"Code {code.id} is now {escape(repr(code.name))}.")


def define(
    code: CodeArgument,
    definition: Annotated[str | None, typer.Argument(help="What the code means.")] = None,
    key_terms: Annotated[
        str | None, typer.Option("--key-terms", help='Words that suggest it: "a, b".')
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Set a code's definition and/or key terms.

    Example: synthesist code define trust "Patients rely on the professional" --key-terms "trust, rely"
    """
    with open_project(project, actor) as workspace:
        found = define_code(workspace, code, definition, key_terms=key_terms)
    console.print(f"Code {escape(repr(found.name))}: {escape(found.definition or '(no definition)')}")


def memo(
    code: CodeArgument,
    text: Annotated[str, typer.Argument(help="The memo.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Add a dated memo to a code (memos add up; none is overwritten).

    Example: synthesist code memo trust "Overlaps with continuity of care in Östlund 2001"
    """
    with open_project(project, actor) as workspace:
        memo_id = write_code_memo(workspace, code, text)
    console.print(f"Memo {memo_id} added to {escape(repr(code))}.")


def merge(
    source: Annotated[str, typer.Argument(help="The code to merge away.")],
    target: Annotated[str, typer.Argument(help="The code it goes into.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Merge code A into code B: A's codings and themes move to B; A stays in the history as merged.
    A coding of A overlapping a coding of B by the same coder is folded into it (the union of both).

    Example: synthesist code merge "listening" "being listened to"
    """
    with open_project(project, actor) as workspace:
        result = merge_codes(workspace, source, target)
    console.print(
        f"Merged {escape(repr(result.source.name))} into {escape(repr(result.target.name))}: "
        f"{plural(len(result.moved), 'coding')} moved, {len(result.folded)} folded into overlapping ones."
    )


def split(
    code: CodeArgument,
    into: Annotated[str, typer.Option("--into", help="The code the codings go to (created if new).")],
    codings: Annotated[str, typer.Option("--codings", help="The codings to move: 3,5,8.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Split a code: move some of its codings to another code (a new one is created under the same
    themes).

    Example: synthesist code split trust --into "trust in the system" --codings 3,5,8
    """
    numbers = [part.strip() for part in codings.split(",") if part.strip()]
    with open_project(project, actor) as workspace:
        result = split_code(workspace, code, into=into, codings=numbers)
    made = " (new)" if result.created else ""
    console.print(
        f"Moved {plural(len(result.moved), 'coding')} from {escape(repr(result.source.name))} to "
        f"{escape(repr(result.target.name))}{made}."
    )


def agree(
    document: DocumentArgument,
    coders: WithOption,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Consensus on a document: wherever both coders applied the same code to overlapping text, a
    consensus coding ("alice & bob") covers the words both coded. Then settle the rest with
    `code disagreements` and `code resolve`.

    Example: synthesist code agree D3 --with alice --with bob
    """
    with open_project(project, actor) as workspace:
        made = agree_document(workspace, document, coders)
        remaining = list_disagreements(workspace, coders, document)
    console.print(
        f"{plural(len(made), 'consensus coding')} made; {plural(len(remaining), 'disagreement')} left."
    )


def disagreements(
    coders: WithOption,
    document: Annotated[str | None, typer.Option("--doc", help="Only this document.")] = None,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Segments where one of two coders applied a code and the other did not, not yet settled.

    Example: synthesist code disagreements --with alice --with bob
    """
    with open_project(project) as workspace:
        found = list_disagreements(workspace, coders, document)
        names = {code.id: code.name for code in list_codes(workspace, merged=True)}
    if as_json:
        print_json(
            [
                {"document": doc.id, "segment": d.segment.number, "code": names[d.code_id],
                 "coded_by": d.coded_by, "text": d.segment.text(doc.text)}
                for doc, d in found
            ]
        )  # fmt: skip
        return
    if not found:
        console.print("No open disagreements.")
        return
    table = Table(title=plural(len(found), "disagreement"), title_justify="left")
    for column in ("document", "segment", "code", "coded by", "text"):
        table.add_column(column)
    for doc, d in found:
        table.add_row(
            f"D{doc.id}",
            str(d.segment.number),
            escape(names[d.code_id]),
            escape(d.coded_by),
            escape(_excerpt(d.segment.text(doc.text))),
        )
    console.print(table)
    console.print("Settle one: synthesist code resolve DOC CODE --segment N --keep|--drop --with A --with B")


def resolve(
    document: DocumentArgument,
    code: CodeArgument,
    segment: Annotated[str, typer.Option("--segment", "-s", help="The segment in dispute.")],
    coders: WithOption,
    keep: Annotated[
        bool, typer.Option("--keep/--drop", help="Keep the code there (consensus coding) or drop it.")
    ],
    note: Annotated[str | None, typer.Option("--note", help="Why.")] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Settle one disagreement between two coders by consensus.

    Example: synthesist code resolve D3 trust --segment 14 --keep --with alice --with bob
    """
    with open_project(project, actor) as workspace:
        made = resolve_disagreement(
            workspace, document, code, segment=segment, coders=coders, keep=keep, note=note
        )
    console.print(f"Kept as consensus coding {made.id}." if made else "Dropped by consensus.")


def code_counts(snapshot: CodingSnapshot) -> dict[int, tuple[int, int, int]]:
    """Code id -> (people's and consensus codings, documents, studies)."""
    study_of = {d.id: d.study_id for d in snapshot.documents}
    found: dict[int, tuple[int, set[int], set[int]]] = {}
    for c in snapshot.codings:
        if c.origin is CodingOrigin.SUGGESTED:
            continue
        used, docs, studies = found.get(c.code_id, (0, set(), set()))
        docs.add(c.document_id)
        studies.add(study_of.get(c.document_id, 0))
        found[c.code_id] = (used + 1, docs, studies)
    return {key: (used, len(docs), len(studies)) for key, (used, docs, studies) in found.items()}


def theme_tree(snapshot: CodingSnapshot, counts: dict[int, tuple[int, int, int]]) -> Tree:
    root = Tree("[bold]Codebook[/]")
    live = [c for c in snapshot.codes if c.merged_into is None]

    def add(branch: Tree, parent: int | None) -> None:
        for theme in children(parent, snapshot.themes):
            node = branch.add(_theme_label(theme))
            add(node, theme.id)
            for code in live:
                if theme.id in code.theme_ids:
                    node.add(_code_label(code, counts))

    add(root, None)
    loose = [code for code in live if not code.theme_ids]
    if loose:
        branch = root.add("[dim](codes under no theme)[/]")
        for code in loose:
            branch.add(_code_label(code, counts))
    return root


def _theme_label(theme: Theme) -> str:
    terms = f" [dim]— {escape(', '.join(theme.key_terms))}[/]" if theme.key_terms else ""
    return f"[bold]{escape(theme.name)}[/] ({theme.level.value}){terms}"


def _code_label(code: Code, counts: dict[int, tuple[int, int, int]]) -> str:
    used, _, studies = counts.get(code.id, (0, 0, 0))
    return f"{escape(code.name)} [dim]({plural(used, 'coding')}, {plural(studies, 'study', 'studies')})[/]"


def _code_json(code: Code, counts: tuple[int, int, int]) -> dict[str, Any]:
    return {
        "id": code.id,
        "name": code.name,
        "definition": code.definition,
        "key_terms": list(code.key_terms),
        "theme_ids": list(code.theme_ids),
        "merged_into": code.merged_into,
        "memo": code.memo,
        "codings": counts[0],
        "documents": counts[1],
        "studies": counts[2],
    }


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def register(app: typer.Typer) -> None:
    """Add the code commands to the ``code`` group."""
    app.command()(add)
    app.command()(apply)
    app.command()(remove)
    app.command("list")(list_command)
    app.command()(show)
    app.command()(rename)
    app.command()(define)
    app.command()(memo)
    app.command()(merge)
    app.command()(split)
    app.command()(agree)
    app.command()(disagreements)
    app.command()(resolve)
