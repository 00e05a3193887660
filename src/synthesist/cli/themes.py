"""``synthesist theme ...`` (descriptive and analytical themes, codes under them) and
``synthesist codebook load|show`` (the codebook in review.toml or its file)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from synthesist.cli.coding import code_counts, theme_tree
from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.services.synthesis.codebook import CodebookChanges, load_codebook
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.services.synthesis.themes import (
    assign_code_to_theme,
    change_theme,
    create_theme,
    list_themes,
    unassign_code_from_theme,
)
from synthesist.synthesis.model import Theme
from synthesist.synthesis.themes import theme_order
from synthesist.wording import plural, verb_for

__all__ = ["app", "codebook_app"]

app = typer.Typer(
    rich_markup_mode="markdown",
    help="Themes: descriptive themes group codes, analytical themes group descriptive ones; a coding "
    "counts for every theme above its code.\n\n"
    'Example: synthesist theme add "Mutual understanding" --level analytical --key-terms "trust, beliefs"',
    no_args_is_help=True,
)
codebook_app = typer.Typer(
    rich_markup_mode="markdown",
    help="The codebook: themes with their definitions and key terms, and codes, written in the codebook "
    "section of review.toml or the file it names.\n\nExample: synthesist codebook load",
    no_args_is_help=True,
)

ThemeArgument = Annotated[str, typer.Argument(help="The theme's name.")]


@app.command()
def add(
    name: ThemeArgument,
    level: Annotated[str, typer.Option("--level", "-l", help="descriptive or analytical.")] = "descriptive",
    parent: Annotated[str | None, typer.Option("--parent", help="The theme it sits under.")] = None,
    definition: Annotated[str, typer.Option("--definition", "-d", help="What the theme means.")] = "",
    key_terms: Annotated[str | None, typer.Option("--key-terms", help='Its key terms: "a, b, c".')] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Create a theme.

    Example: synthesist theme add "Mutual understanding" --level analytical --key-terms "trust, beliefs"

    Example: synthesist theme add "Feeling believed" --parent "Mutual understanding"
    """
    with open_project(project, actor) as workspace:
        theme = create_theme(
            workspace, name, level=level, parent=parent, definition=definition, key_terms=key_terms or ()
        )
    console.print(f"Created {theme.level.value} theme {theme.id} {escape(repr(theme.name))}.")


@app.command("list")
def list_command(
    tree: Annotated[bool, typer.Option("--tree", help="The tree of themes with their codes.")] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the themes, analytical ones with the themes under them.

    Example: synthesist theme list --tree
    """
    with open_project(project) as workspace:
        if tree:
            console.print(theme_tree(coding_snapshot(workspace), {}))
            return
        themes = list_themes(workspace)
    if as_json:
        print_json([theme_json(theme) for theme in theme_order(themes)])
        return
    depth = {theme.id: 0 for theme in themes}
    for theme in theme_order(themes):
        if theme.parent_id is not None:
            depth[theme.id] = depth.get(theme.parent_id, 0) + 1
        indent = "  " * depth[theme.id]
        terms = f" — {', '.join(theme.key_terms)}" if theme.key_terms else ""
        console.print(f"{indent}{escape(theme.name)} [dim]({theme.level.value}){escape(terms)}[/]")


@app.command()
def assign(
    code: Annotated[str, typer.Argument(help="The code.")],
    theme: ThemeArgument,
    remove: Annotated[
        bool, typer.Option("--remove", help="Take the code from under the theme instead.")
    ] = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Put a code under a theme (a code may sit under several).

    Example: synthesist theme assign "being listened to" "Effective communication"
    """
    with open_project(project, actor) as workspace:
        if remove:
            unassign_code_from_theme(workspace, code, theme)
        else:
            assign_code_to_theme(workspace, code, theme)
    console.print(
        f"Code {escape(repr(code))} {'taken from' if remove else 'is'} under {escape(repr(theme))}."
    )


@app.command()
def move(
    theme: ThemeArgument,
    parent: Annotated[str | None, typer.Argument(help="The new parent (leave out: to the top).")] = None,
    position: Annotated[int | None, typer.Option("--position", help="Its place among its siblings.")] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Move a theme under another (or to the top), or to another place among its siblings.

    Example: synthesist theme move "Feeling believed" "Mutual understanding"
    """
    with open_project(project, actor) as workspace:
        moved = change_theme(workspace, theme, parent=parent, position=position)
    console.print(f"Theme {escape(repr(moved.name))} moved.")


@app.command()
def rename(
    theme: ThemeArgument,
    new: Annotated[str, typer.Argument(help="The new name.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Rename a theme.

    Example: synthesist theme rename "Communication" "Effective communication"
    """
    with open_project(project, actor) as workspace:
        renamed = change_theme(workspace, theme, name=new)
    console.print(f"Theme {renamed.id} is now {escape(repr(renamed.name))}.")


@app.command()
def define(
    theme: ThemeArgument,
    definition: Annotated[str | None, typer.Argument(help="What the theme means.")] = None,
    key_terms: Annotated[str | None, typer.Option("--key-terms", help='Its key terms: "a, b, c".')] = None,
    level: Annotated[str | None, typer.Option("--level", help="descriptive or analytical.")] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Set a theme's definition, key terms or level.

    Example: synthesist theme define "Patient involvement" --key-terms "participation, empowerment"
    """
    with open_project(project, actor) as workspace:
        changed = change_theme(workspace, theme, definition=definition, key_terms=key_terms, level=level)
    console.print(f"Theme {escape(repr(changed.name))}: {escape(changed.definition or '(no definition)')}")


@codebook_app.command("load")
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


@codebook_app.command("show")
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


def theme_json(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.id,
        "name": theme.name,
        "level": theme.level.value,
        "definition": theme.definition,
        "key_terms": list(theme.key_terms),
        "parent_id": theme.parent_id,
        "position": theme.position,
    }
