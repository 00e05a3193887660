"""``synthesist synthesis suggest|accept|reject|agreement``: the coding assistant's suggestions and
agreement between coders."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.cli.synthesis.documents import coding_json
from synthesist.services.synthesis.agreement import PairAgreement, assistant_agreement, coder_agreement
from synthesist.services.synthesis.codes import list_codes
from synthesist.services.synthesis.suggest import METHODS, accept_suggestion, reject_suggestion, suggest
from synthesist.synthesis.coder_agreement import CodeAgreement
from synthesist.wording import plural

__all__ = ["register"]

SuggestionArgument = Annotated[str, typer.Argument(help="The suggestion (its coding id, 12 or C12).")]


def suggest_command(
    document: Annotated[str | None, typer.Option("--doc", help="Only this document (default: all).")] = None,
    min_score: Annotated[
        float, typer.Option("--min-score", help="Suggest only from this score (0-1).")
    ] = 0.3,
    limit: Annotated[int, typer.Option("--limit", help="At most this many codes per segment.")] = 2,
    method: Annotated[
        str,
        typer.Option("--method", help=f"Text similarity: {' or '.join(METHODS)} (needs the optional model)."),
    ] = "tfidf",
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Suggest codes for segments nobody has coded, from the codebook's key terms and the text
    already coded with each code. Suggestions belong to the coder "assistant" and count as nobody's
    coding until a reviewer accepts them; a rejected one is never suggested again.

    Example: synthesist synthesis suggest --doc D3 --min-score 0.4
    """
    with open_project(project, actor) as workspace:
        result = suggest(workspace, document, min_score=min_score, limit=limit, method=method)
        names = {code.id: code.name for code in list_codes(workspace, merged=True)}
    if as_json:
        print_json([coding_json(c, names) for c in result.suggestions])
        return
    console.print(
        f"{plural(len(result.suggestions), 'new suggestion')} in "
        f"{plural(result.documents, 'document')} ({result.method})."
    )
    if result.suggestions:
        table = Table(title_justify="left")
        for column in ("suggestion", "document", "code", "score", "why", "text"):
            table.add_column(column)
        for c in result.suggestions:
            table.add_row(
                f"C{c.id}",
                f"D{c.document_id}",
                escape(names.get(c.code_id, "")),
                f"{c.score or 0:.2f}",
                escape(c.memo),
                escape(_excerpt(c.text)),
            )
        console.print(table)
        console.print(
            "Accept or reject each: synthesist synthesis accept C12 / synthesist synthesis reject C12"
        )


def accept(
    suggestion: SuggestionArgument,
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", help="quote or interpretation (default: the assistant's guess)."),
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Accept a suggestion: the same code on the same span becomes your coding.

    Example: synthesist synthesis accept C12 --kind quote --as alice
    """
    with open_project(project, actor) as workspace:
        name = workspace.actor  # the protocol's spelling when actor is an account's login
        made = accept_suggestion(workspace, suggestion, reviewer=name, kind=kind)
    console.print(f"Accepted: coding {made.id} by {escape(name)} on [{made.start}:{made.end}].")


def reject(suggestion: SuggestionArgument, project: ProjectOption = None, actor: ActorOption = None) -> None:
    """Reject a suggestion (it is kept, stamped rejected, and never suggested again).

    Example: synthesist synthesis reject C12 --as alice
    """
    with open_project(project, actor) as workspace:
        name = workspace.actor  # the protocol's spelling when actor is an account's login
        rejected = reject_suggestion(workspace, suggestion, reviewer=name)
    console.print(f"Rejected suggestion {rejected.id}.")


def agreement(
    coders: Annotated[
        tuple[str, str] | None,
        typer.Option("--coders", help="Two coders: --coders alice bob (default: every pair)."),
    ] = None,
    assistant: Annotated[
        bool,
        typer.Option("--assistant", help="The assistant's suggestions against each person's own coding."),
    ] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Agreement between coders per code, at segment level: Cohen's kappa (95% CI), percent
    agreement and PABAK over the segments of the documents both coded.

    Example: synthesist synthesis agreement --coders alice bob

    Example: synthesist synthesis agreement --assistant
    """
    with open_project(project) as workspace:
        if assistant:
            report = assistant_agreement(workspace)
            pairs = report.pairs
        else:
            pairs = coder_agreement(workspace, coders)
    if as_json:
        data: dict[str, Any] = {"pairs": [_pair_json(pair) for pair in pairs]}
        if assistant:
            data |= {"pending": report.pending, "accepted": report.accepted, "rejected": report.rejected}
        print_json(data)
        return
    if assistant:
        decided = report.accepted + report.rejected
        rate = f", {100 * report.accepted / decided:.0f}% of those decided accepted" if decided else ""
        console.print(
            f"Suggestions: {report.accepted} accepted, {report.rejected} rejected, "
            f"{report.pending} pending{rate}."
        )
        if not pairs:
            console.print("No one has coded on their own yet to compare the assistant with.")
    for pair in pairs:
        if pair.documents:
            console.print(_pair_table(pair))
        else:
            console.print(f"{escape(pair.first)} and {escape(pair.second)} have no document both coded.")


def _pair_table(pair: PairAgreement) -> Table:
    table = Table(
        title=f"{pair.first} and {pair.second}: {plural(pair.documents, 'document')} both coded",
        title_justify="left",
    )
    for column in (
        "code",
        "segments",
        "both",
        f"{pair.first} only",
        f"{pair.second} only",
        "agree %",
        "kappa (95% CI)",
        "PABAK",
    ):
        table.add_column(escape(column), justify="left" if column == "code" else "right")
    for row in pair.per_code:
        table.add_row(escape(pair.code_names[row.code_id or 0]), *_cells(row))
    table.add_row("[bold]all codes[/]", *_cells(pair.overall))
    return table


def _cells(row: CodeAgreement) -> list[str]:
    stats = row.statistics
    if stats is None:
        return [str(row.segments), "", "", "", "", "", ""]
    kappa = "n/a" if stats.kappa is None else _number(stats.kappa)
    if stats.ci_low is not None and stats.ci_high is not None:
        kappa += f" ({_number(stats.ci_low)} to {_number(stats.ci_high)})"
    pabak = "" if stats.pabak is None else f"{stats.pabak:.2f}"
    return [
        str(row.segments),
        str(row.both),
        str(row.first_only),
        str(row.second_only),
        f"{100 * stats.observed:.0f}",
        kappa,
        pabak,
    ]


def _number(value: float) -> str:
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text  # rounding noise, not a negative kappa


def _pair_json(pair: PairAgreement) -> dict[str, Any]:
    def row(item: CodeAgreement) -> dict[str, Any]:
        stats = item.statistics
        return {
            "code": pair.code_names.get(item.code_id) if item.code_id is not None else None,
            "segments": item.segments,
            "both": item.both,
            "first_only": item.first_only,
            "second_only": item.second_only,
            "percent_agreement": None if stats is None else 100 * stats.observed,
            "kappa": None if stats is None else stats.kappa,
            "ci": None if stats is None else [stats.ci_low, stats.ci_high],
            "pabak": None if stats is None else stats.pabak,
        }

    return {
        "first": pair.first,
        "second": pair.second,
        "documents": pair.documents,
        "codes": [row(item) for item in pair.per_code],
        "overall": row(pair.overall),
    }


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def register(app: typer.Typer) -> None:
    """Add the assistant and agreement commands to the ``synthesis`` group."""
    app.command("suggest")(suggest_command)
    app.command()(accept)
    app.command()(reject)
    app.command()(agreement)
