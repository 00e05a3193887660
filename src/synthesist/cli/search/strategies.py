"""``synthesist search list|show|translate|parse``: the project's search strategies and their
translation (the live searches are in ``runs.py``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from synthesist.cli.common import JsonOption, ProjectOption, console, err_console, print_json
from synthesist.errors import ImportFileError
from synthesist.review.project import find_project
from synthesist.search.dialects.base import Translation, field_list
from synthesist.search.model import Field, Heading, Near, Strategy, Term
from synthesist.search.strategy_file import (
    dump_strategy,
    format_combination,
    load_strategies,
    load_strategy,
    save_strategy,
)
from synthesist.search.translate import TARGETS, parse, translate
from synthesist.wording import plural

__all__ = ["register"]


_TARGETS_HELP = ", ".join(TARGETS)


def _target(value: str) -> str:
    if value not in TARGETS:
        raise typer.BadParameter(f"{value!r} is not a target; use one of {_TARGETS_HELP}")
    return value


def list_strategies(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """List the search strategies of the project (the .toml files in its search/ folder).

    Example: synthesist search list
    """
    found = find_project(project)
    strategies = load_strategies(found.root, found.protocol)
    if as_json:
        print_json(
            [
                {
                    "name": s.name,
                    "blocks": [b.name for b in s.blocks],
                    "combine": format_combination(s.combine),
                }
                for s in strategies
            ]
        )
        return
    if not strategies:
        console.print(f"No search strategies yet: add search/NAME.toml in {found.root}.")
        return
    for strategy in strategies:
        blocks = ", ".join(block.title for block in strategy.blocks)
        combine = escape(format_combination(strategy.combine))
        console.print(f"[bold]{escape(strategy.name)}[/]: {combine}  ({escape(blocks)})")


def show(
    name: Annotated[str, typer.Argument(help="The strategy's name (its file name without .toml).")],
    project: ProjectOption = None,
) -> None:
    """Show a strategy: its concept blocks, how they combine, and its limits.

    Example: synthesist search show back_pain
    """
    strategy = load_strategy(find_project(project).root, name)
    console.print(
        f"[bold]{escape(strategy.name)}[/]  combine: {escape(format_combination(strategy.combine))}"
    )
    for block in strategy.blocks:
        console.print(f"\n[bold]{escape(block.name)}[/] — {escape(block.title)}")
        for item in block.items:
            console.print("  " + escape(_describe(item)))
    limits = strategy.limits
    if not limits.empty:
        parts = []
        if limits.year_from or limits.year_to:
            parts.append(f"years {limits.year_from or '…'}–{limits.year_to or '…'}")
        parts += [", ".join(limits.languages)] if limits.languages else []
        parts += [", ".join(limits.publication_types)] if limits.publication_types else []
        parts += ["humans"] if limits.humans else []
        console.print("\nLimits: " + escape("; ".join(parts)))


def _describe(item: Term | Near | Heading) -> str:
    def fields(names: frozenset[Field]) -> str:
        return f" [{','.join(name.value for name in field_list(names))}]" if names else ""

    if isinstance(item, Heading):
        flags = [flag for flag, on in (("explode", item.explode), ("major", item.major)) if on]
        return f"{item.vocabulary.value}: {item.label}" + (f" ({', '.join(flags)})" if flags else "")
    if isinstance(item, Near):
        left = " OR ".join(term.text for term in item.left)
        right = " OR ".join(term.text for term in item.right)
        kind = "in order within" if item.ordered else "within"
        return f"({left}) {kind} {plural(item.distance, 'word')} of ({right}){fields(item.fields)}"
    text = f'"{item.text}"' if item.phrase else item.text
    return text + fields(item.fields)


def _print_translation(translation: Translation, heading: bool) -> None:
    if heading:
        console.print(f"\n[bold]== {translation.target} ==[/]")
    # plain echo, never wrapped to the terminal: the lines are pasted into the database as they are
    typer.echo(translation.text)
    for note in translation.notes:
        where = f"line {note.line}: " if note.line is not None else ""
        err_console.print(f"[yellow]Note:[/] {escape(where + note.message)}")


def translate_command(
    name: Annotated[str, typer.Argument(help="The strategy's name (see `synthesist search list`).")],
    to: Annotated[
        str | None, typer.Option("--to", "-t", help=f"Database syntax: {_TARGETS_HELP}.", show_default=False)
    ] = None,
    all_targets: Annotated[bool, typer.Option("--all", help="Translate for every target.")] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print a strategy in a database's syntax, line-numbered as a librarian pastes it, with notes on
    what the database cannot express and what was done instead.

    Example: synthesist search translate back_pain --to ovid-medline

    Example: synthesist search translate back_pain --all
    """
    if not all_targets and to is None:
        raise typer.BadParameter(f"give --to TARGET ({_TARGETS_HELP}) or --all", param_hint="--to")
    targets = list(TARGETS) if all_targets else [_target(str(to))]
    strategy = load_strategy(find_project(project).root, name)
    translations = [translate(strategy, target) for target in targets]
    if as_json:
        print_json(
            [
                {
                    "target": t.target,
                    "lines": list(t.lines),
                    "query": t.query,
                    "notes": [{"line": n.line, "message": n.message} for n in t.notes],
                }
                for t in translations
            ]
        )
        return
    for translation in translations:
        _print_translation(translation, heading=all_targets)


def parse_command(
    file: Annotated[
        str, typer.Argument(help="A text file with the pasted strategy, or - for standard input.")
    ],
    from_target: Annotated[
        str, typer.Option("--from", "-f", help=f"Its syntax: {_TARGETS_HELP}.", show_default=False)
    ],
    save: Annotated[
        str | None,
        typer.Option("--save", help="Save it as search/NAME.toml in the project.", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="With --save: replace an existing file.")] = False,
    project: ProjectOption = None,
) -> None:
    """Read a strategy pasted from a database (its search history) into concept blocks; print it as a
    strategy file, or save it in the project.

    Example: synthesist search parse medline.txt --from ovid-medline --save back_pain

    Example: pbpaste | synthesist search parse - --from pubmed
    """
    target = _target(from_target)
    if file == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ImportFileError(
                f"cannot read {file}: {exc}", hint="Give a UTF-8 text file, or - for stdin."
            ) from None
    strategy: Strategy = parse(text, target, name=save or "pasted")
    if save is None:
        typer.echo(dump_strategy(strategy), nl=False)
        return
    path = save_strategy(find_project(project).root, strategy, replace=force)
    err_console.print(f"Saved {len(strategy.blocks)} concept blocks to {path}")


def register(app: typer.Typer) -> None:
    """Add the strategy commands to the ``search`` group."""
    app.command("list")(list_strategies)
    app.command("show")(show)
    app.command("translate")(translate_command)
    app.command("parse")(parse_command)
