"""The ``synthesist`` command: one Typer app, one sub-module per noun, one error mapper."""

from __future__ import annotations

from typing import Annotated

import typer

from synthesist import __version__
from synthesist.cli import (
    appraisal,
    cerqual,
    coding,
    coding_assist,  # noqa: F401  (registers suggest, accept, reject and agreement on `synthesis`)
    concept_model,  # noqa: F401  (registers `synthesis model`)
    dedup,
    demo,
    documents,
    exporting,
    extraction,
    fulltext,
    importing,
    prisma,
    project,
    records,
    refi_qda,  # noqa: F401  (registers codebook export|import and synthesis export|import)
    report,
    screening,
    screening_seeds,  # noqa: F401  (registers `screen seed` on `screen`)
    screening_tools,  # noqa: F401  (registers import-decisions, stop-check and agreement on `screen`)
    search,
    search_runs,  # noqa: F401  (registers run, rerun, runs and citations on `search`)
    simulate,
    synthesis_outputs,  # noqa: F401  (registers synthesis matrix, evidence and sensitivity)
    themes,
    users,
    web,
)
from synthesist.cli.errors import ErrorMappingGroup
from synthesist.cli.synthesis import synthesis_app

__all__ = ["app", "run"]

app = typer.Typer(
    name="synthesist",
    cls=ErrorMappingGroup,
    help="Systematic reviews and qualitative evidence synthesis, from database exports to the report.\n\n"
    'Example: synthesist init back-pain --title "Partnerships in chronic back pain"',
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"synthesist {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Synthesist command line."""


project.register(app)
importing.register(app)
exporting.register(app)
prisma.register(app)
report.register(app)
demo.register(app)
simulate.register(app)
app.add_typer(records.app, name="records")
app.add_typer(dedup.app, name="dedup")
app.add_typer(screening.app, name="screen")
app.add_typer(fulltext.app, name="fulltext")
app.add_typer(appraisal.app, name="appraise")
app.add_typer(extraction.app, name="extract")
app.add_typer(documents.app, name="doc")
app.add_typer(coding.app, name="code")
app.add_typer(themes.app, name="theme")
app.add_typer(themes.codebook_app, name="codebook")
app.add_typer(synthesis_app, name="synthesis")
app.add_typer(cerqual.app, name="cerqual")
app.add_typer(search.app, name="search")
app.add_typer(users.users_app, name="users")
app.add_typer(users.members_app, name="members")
web.register(app)


def run() -> None:
    app()
