"""``synthesist simulate``: replay a labelled dataset with a prioritisation model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from synthesist.cli.common import console, err_console
from synthesist.screening.prioritise import DEFAULT_RANKER, available_rankers
from synthesist.services.screening.simulation import run_simulation
from synthesist.wording import plural_word

__all__ = ["register"]


def simulate(
    data: Annotated[Path, typer.Argument(help="Labelled records: CSV with title, abstract, label_included.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the metrics (JSON).")],
    model: Annotated[
        str, typer.Option("--model", "-m", help="A ranker (see the list below).")
    ] = DEFAULT_RANKER,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the priors and the model.")] = 0,
    n_prior_included: Annotated[int, typer.Option("--n-prior-included", help="Relevant records known.")] = 1,
    n_prior_excluded: Annotated[
        int, typer.Option("--n-prior-excluded", help="Irrelevant records known.")
    ] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Retrain after this many decisions.")] = 1,
) -> None:
    """Replay a labelled dataset (ASReview's CSV format) as if screening it with prioritisation, and
    write WSS@95, recall at 10% and 20%, loss, the recall curve and when each stopping rule fired.

    Example: synthesist simulate van_de_Schoot_2017.csv --model svm --seed 1 -o metrics.json
    """
    with err_console.status(f"Simulating with {model}..."):
        metrics = run_simulation(
            data,
            output,
            model=model,
            seed=seed,
            n_prior_included=n_prior_included,
            n_prior_excluded=n_prior_excluded,
            batch_size=batch_size,
        )
    console.print(
        f"{metrics['n_records']:,} {plural_word(metrics['n_records'], 'record')}, "
        f"{metrics['n_relevant']:,} relevant: "
        f"WSS@95 {metrics['wss_95']:.3f}, recall@10% {metrics['recall_at_10pct']:.3f}, "
        f"recall@20% {metrics['recall_at_20pct']:.3f}, loss {metrics['loss']:.3f}; "
        f"retrain {metrics['retrain_seconds_mean'] * 1000:.0f} ms on average."
    )
    for stop in metrics["stopping_rules"]:
        when = (
            "never fired"
            if stop["n_screened"] is None
            else (
                f"fired after {stop['n_screened']:,} {plural_word(stop['n_screened'], 'record')}, "
                f"recall {stop['recall']:.3f}"
            )
        )
        console.print(f"  {stop['rule']}: {when}")
    err_console.print(f"Wrote {output}. Models: {', '.join(sorted(available_rankers()))}.")


def register(app: typer.Typer) -> None:
    app.command()(simulate)
