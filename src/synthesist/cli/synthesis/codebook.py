"""``synthesist codebook load|show``: the codebook in review.toml (or the file it names), loaded into
the project and shown with how often each code is used. REFI-QDA export and import are in
``refi_qda.py``."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.cli.synthesis.coding import code_counts, theme_tree
from synthesist.cli.synthesis.themes import theme_json
from synthesist.services.synthesis.codebook import CodebookChanges, load_codebook
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.synthesis.themes import theme_order
from synthesist.wording import plural, verb_for

__all__ = ["register"]


def load(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would change.")] = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create and update themes and codes from the codebook. Running it again changes nothing; it
    never deletes or renames — what the project has and the codebook lacks is only listed.

    Example: synthesist codebook load --dry-run
    """
    with open_project(project, actor) as workspace:
        changes = load_codebook(workspace, dry_run=dry_run)
    _print_changes(changes, dry_run=dry_run, as_json=as_json)


def show(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """Show the project's codebook (themes, key terms, codes and how often each is used), and what
    loading the codebook from review.toml would change.

    Example: synthesist codebook show
    """
    with open_project(project) as workspace:
        snapshot = coding_snapshot(workspace)
        pending = load_codebook(workspace, dry_run=True)
    if as_json:
        print_json(
            {
                "themes": [theme_json(theme) for theme in theme_order(list(snapshot.themes))],
                "codes": [
                    {"id": c.id, "name": c.name, "definition": c.definition, "key_terms": list(c.key_terms),
                     "theme_ids": list(c.theme_ids)}
                    for c in snapshot.codes
                    if c.merged_into is None
                ],
                "pending": _changes_json(pending),
            }
        )  # fmt: skip
        return
    console.print(theme_tree(snapshot, code_counts(snapshot)))
    if pending.changed:
        changes = len(pending.created) + len(pending.updated) + len(pending.assigned)
        console.print(
            f"[yellow]{plural(changes, 'change')} from {escape(pending.source)} "
            f"{verb_for(changes, 'is', 'are')} not loaded yet:[/] synthesist codebook load"
        )


def _print_changes(changes: CodebookChanges, *, dry_run: bool, as_json: bool) -> None:
    if as_json:
        print_json(_changes_json(changes))
        return
    verb = "would be" if dry_run else ""
    if not changes.changed:
        console.print(f"The project already matches the codebook ({escape(changes.source)}).")
    for label, items in (
        ("created", changes.created),
        ("updated", changes.updated),
        ("assigned", changes.assigned),
    ):
        for item in items:
            console.print(f"{label} {verb} {escape(item)}".replace("  ", " "))
    if changes.not_in_codebook:
        console.print(f"[dim]Not in the codebook (kept): {escape(', '.join(changes.not_in_codebook))}[/]")


def _changes_json(changes: CodebookChanges) -> dict[str, Any]:
    return {
        "source": changes.source,
        "created": changes.created,
        "updated": changes.updated,
        "assigned": changes.assigned,
        "not_in_codebook": changes.not_in_codebook,
    }


def register(app: typer.Typer) -> None:
    """Add load and show to the ``codebook`` group (export and import are in ``refi_qda.py``)."""
    app.command("load")(load)
    app.command("show")(show)
