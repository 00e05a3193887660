"""``synthesist demo``: build the worked example (the reference review) in a new folder."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from synthesist.cli.common import console, err_console
from synthesist.services.demo.build import STEPS, build_demo
from synthesist.wording import plural

__all__ = ["register"]


def demo(
    folder: Annotated[Path, typer.Argument(help="A new (or empty) folder for the example project.")] = Path(
        "demo"
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Replace the folder if a previous `synthesist demo` made it.")
    ] = False,
) -> None:
    """Build the worked example: the reference review on patient–professional partnerships in chronic
    back pain, as far as its published facts go — protocol, search exports imported, duplicates,
    screening (757 + 62 records to 10 included studies), study characteristics, CASP appraisal, coded
    findings with the seven themes, the conceptual model and GRADE-CERQual. Everything ships with
    Synthesist (no network). Values the review does not publish are illustrative and listed in
    ILLUSTRATIVE.md.

    Example: synthesist demo demo && synthesist report --project demo
    """
    started = time.perf_counter()
    columns = (TextColumn("{task.description:<24}"), BarColumn(), TextColumn("{task.completed}/{task.total}"))
    with Progress(*columns, TimeElapsedColumn(), console=err_console, transient=True) as progress:
        task = progress.add_task("starting", total=len(STEPS))
        done = 0

        def step(name: str) -> None:
            nonlocal done
            progress.update(task, description=name, completed=done)
            done += 1

        result = build_demo(folder, force=force, progress=step)
        progress.update(task, completed=len(STEPS))
    counts = result.prisma
    console.print(f"Built the worked example in {result.folder} ({time.perf_counter() - started:.0f} s)")
    console.print(
        f"  records: {counts['database_records']} from databases, {counts['other_records']} from other "
        f"sources, {plural(counts['duplicates_removed'], 'duplicate')}; "
        f"{counts['records_screened']} screened, "
        f"{plural(counts['reports_assessed'], 'full text')}, "
        f"{plural(counts['studies_included'], 'study', 'studies')} included"
    )
    ratings = ", ".join(f"{n} {rating}" for rating, n in result.ratings.items())
    console.print(f"  appraisal: {ratings}; what is illustrative: {result.folder / 'ILLUSTRATIVE.md'}")
    console.print(f"Next: synthesist report --project {folder}")


def register(app: typer.Typer) -> None:
    app.command()(demo)
