"""``synthesist synthesis model ...``: the conceptual model — outcomes, typed links between
analytical themes and outcomes, a model file, and the figure drawn with Graphviz."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import (
    ActorOption,
    JsonOption,
    ProjectOption,
    command_group,
    console,
    open_project,
    print_json,
)
from synthesist.cli.synthesis.outputs import write_output
from synthesist.services.cerqual.concept_model import (
    add_link,
    add_outcome,
    load_model,
    model_figure,
    model_view,
    remove_link,
    remove_outcome,
)
from synthesist.services.synthesis.outputs import output_format
from synthesist.synthesis.concept_model import FIGURE_FORMATS, RELATION_TYPES
from synthesist.wording import plural

__all__ = ["register"]

MODEL_HELP = (
    "The conceptual model: analytical themes and outcomes as nodes, typed links between them "
    "(" + ", ".join(t.words for t in RELATION_TYPES.values()) + "), drawn with Graphviz, each theme "
    'linked to its evidence.\n\nExample: synthesist synthesis model add-link "Effective communication" '
    '"Mutual understanding" --type "is foundation of"'
)

_TYPES = ", ".join(f'"{t.words}"' for t in RELATION_TYPES.values())


def add_link_command(
    source: Annotated[str, typer.Argument(help="From: an analytical theme or an outcome.")],
    target: Annotated[str, typer.Argument(help="To: an analytical theme or an outcome.")],
    kind: Annotated[str, typer.Option("--type", "-t", help=f"The relationship: {_TYPES}.")],
    label: Annotated[str, typer.Option("--label", help="Words on the arrow (default: the type).")] = "",
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Link two nodes of the model. An outcome that is not a theme is added first with add-outcome.

    Example: synthesist synthesis model add-link "Mutual understanding" Partnership --type "leads to"
    """
    with open_project(project, actor) as workspace:
        link = add_link(workspace, source, target, kind, label)
    console.print(f"Link {link.id}: {escape(link.source)} {escape(link.type)} {escape(link.target)}")


def remove_link_command(
    link: Annotated[int, typer.Argument(help="The link's number, as `model show` lists it.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Remove a link of the model.

    Example: synthesist synthesis model remove-link 3
    """
    with open_project(project, actor) as workspace:
        removed = remove_link(workspace, link)
    console.print(
        f"Removed link {removed.id}: {escape(removed.source)} {escape(removed.type)} {escape(removed.target)}"
    )


def add_outcome_command(
    name: Annotated[str, typer.Argument(help='The outcome, e.g. "Self-management".')],
    description: Annotated[
        str, typer.Option("--description", help="What it means (the node's tooltip).")
    ] = "",
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Add an outcome: a node of the model that is not a theme (what the themes lead to).

    Example: synthesist synthesis model add-outcome "Self-management" --description "Managing the pain"
    """
    with open_project(project, actor) as workspace:
        outcome = add_outcome(workspace, name, description)
    console.print(f"Outcome {escape(outcome.name)!r} added.")


def remove_outcome_command(
    name: Annotated[str, typer.Argument(help="The outcome.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Remove an outcome no link uses.

    Example: synthesist synthesis model remove-outcome "Self-management"
    """
    with open_project(project, actor) as workspace:
        outcome = remove_outcome(workspace, name)
    console.print(f"Outcome {escape(outcome.name)!r} removed.")


def load_command(
    file: Annotated[
        Path, typer.Argument(help="A model file: [[model.outcomes]] and [[model.relationships]].")
    ],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Replace the model by a model file's (TOML; every mistake named by line, and then nothing is
    changed). `model show --toml` writes the current model as such a file.

    Example: synthesist synthesis model load model.toml
    """
    with open_project(project, actor) as workspace:
        view = load_model(workspace, file)
    console.print(
        f"Loaded {plural(len(view.outcomes), 'outcome')} and {plural(len(view.links), 'link')} "
        f"from {escape(str(file))}."
    )


def show_command(
    as_toml: Annotated[bool, typer.Option("--toml", help="Print the model as a model file.")] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """The model: its theme and outcome nodes and its links, by number.

    Example: synthesist synthesis model show

    Example: synthesist synthesis model show --toml > model.toml
    """
    with open_project(project) as workspace:
        view = model_view(workspace)
    if as_toml:
        typer.echo(view.file_text(), nl=False)
        return
    if as_json:
        print_json(
            {
                "themes": [t.name for t in view.themes],
                "outcomes": [{"name": o.name, "description": o.description} for o in view.outcomes],
                "links": [
                    {"id": k.id, "from": k.source, "to": k.target, "type": k.type, "label": k.label}
                    for k in view.links
                ],
            }
        )
        return
    console.print("Themes: " + (escape(", ".join(t.name for t in view.themes)) or "none yet"))
    console.print("Outcomes: " + (escape(", ".join(o.name for o in view.outcomes)) or "none"))
    if not view.links:
        console.print("No links yet (synthesist synthesis model add-link ...).")
        return
    table = Table(title="Links", title_justify="left")
    for column in ("#", "from", "type", "to", "label"):
        table.add_column(column)
    for link in view.links:
        table.add_row(
            str(link.id), escape(link.source), escape(link.type), escape(link.target), escape(link.label)
        )
    console.print(table)


def render_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="model.svg, model.png, model.pdf or model.dot.")
    ],
    format_name: Annotated[
        str | None, typer.Option("--format", "-f", help="svg, png, pdf or dot (default: from the extension).")
    ] = None,
    title: Annotated[
        str, typer.Option("--title", help="The figure's title (its tooltip).")
    ] = "Conceptual model",
    project: ProjectOption = None,
) -> None:
    """Draw the model with Graphviz: themes as boxes that link to their evidence (`#theme-<name>`, as
    `synthesis evidence` writes it) with "N of M studies" in the tooltip, outcomes as ovals, each
    type of link in its own line style, explained under the figure.

    Example: synthesist synthesis model render -o model.svg
    """
    chosen = output_format(str(output), format_name, FIGURE_FORMATS, default="svg")
    with open_project(project) as workspace:
        data = model_figure(workspace, chosen, title)
    write_output(output, data, f"the conceptual model ({chosen})")


def register(app: typer.Typer) -> None:
    """Add the ``model`` sub-group to the ``synthesis`` group."""
    model_app = command_group(MODEL_HELP)
    model_app.command("add-link")(add_link_command)
    model_app.command("remove-link")(remove_link_command)
    model_app.command("add-outcome")(add_outcome_command)
    model_app.command("remove-outcome")(remove_outcome_command)
    model_app.command("load")(load_command)
    model_app.command("show")(show_command)
    model_app.command("render")(render_command)
    app.add_typer(model_app, name="model")
