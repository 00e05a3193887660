"""``synthesist theme add|list|assign|move|rename|define``: descriptive and analytical themes, and the
codes under them."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.cli.synthesis.coding import theme_tree
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

__all__ = ["register", "theme_json"]


ThemeArgument = Annotated[str, typer.Argument(help="The theme's name.")]


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


def register(app: typer.Typer) -> None:
    """Add the theme commands to the ``theme`` group."""
    app.command()(add)
    app.command("list")(list_command)
    app.command()(assign)
    app.command()(move)
    app.command()(rename)
    app.command()(define)
