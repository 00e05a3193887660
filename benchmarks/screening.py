"""Screening prioritisation beside ASReview: our ranker and ASReview 3.0.8's ``elas_u4``, same start.

For every labelled set in ../shared/benchmarks/screening/ (``*.csv.gz`` or ``*.csv`` in ASReview's
format: record_id, title, abstract, label_included) and every seed:

1. ASReview simulates with elas_u4 from 1 relevant + 1 irrelevant prior record drawn from the seed
   (see ``COMMAND``), in its own venv (``benchmarks/.venv-asreview``, installed from PyPI on first
   run), two runs at a time. Its priors and screening order are read back from the project file.
2. Our ranker (``--model``, by default ``DEFAULT_RANKER`` whatever it is at the time) replays the set
   from the *same* prior records, so the two orders differ only by the model. ASReview's rows are
   checked to be ours (all labels, the first titles) before anything is compared.
3. Both orders go through the same ``screening_metrics`` (WSS@95 in Cohen's form, recall at 10%,
   loss; priors left out), and our order through ``stop_points`` (hypergeometric, knee,
   100 irrelevant in a row) to see what each stopping rule would have saved, and at what recall.
4. A retrain is timed on 10,000 records (the largest set repeated): 50 retrains with two priors
   decided, 50 with 2,000 decided, the ranker's features computed once beforehand as in a review.

Targets (issue): mean WSS@95 >= ASReview's + 0.03; mean recall@10% >= ASReview's; no set more than
0.05 below ASReview in WSS@95; mean retrain at 10,000 records < 0.5 s; the hypergeometric rule
reaching its 95% recall target in >= 95% of runs.

Runs are kept in benchmarks/out/screening/ (one JSON per set and seed, ``asreview/`` and one folder
per model); ``--resume`` reuses them, so use it to finish an interrupted run, not after changing a
ranker. The summary goes to benchmarks/out/screening/results.json and docs/benchmarks.md.

    python benchmarks/screening.py [--model NAME] [--seeds 0 1 2 3 4] [--data-dir DIR]
                                   [--only SET ...] [--resume] [--no-docs] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from synthesist.screening.prioritise import (
    DEFAULT_RANKER,
    ActiveLearner,
    LabelledDataset,
    get_ranker,
    read_labelled_csv,
    screening_metrics,
    simulate,
)
from synthesist.services.screening.simulation import stop_points

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import measured_on, write_section
from screening_asreview import ASREVIEW_VERSION, COMMAND, asreview_version, ensure_asreview, run_asreview

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1] / "shared" / "benchmarks" / "screening"
OUT = HERE / "out" / "screening"
VENV = HERE / ".venv-asreview"
DOCS = HERE.parent / "docs" / "benchmarks.md"
TIMING_RECORDS, TIMING_RETRAINS, TIMING_DECIDED = 10_000, 50, 2_000
RULES = ("hypergeometric", "knee", "consecutive-irrelevant")
console = Console(soft_wrap=True)


def find_datasets(folder: Path, only: list[str] | None) -> dict[str, Path]:
    """Every ``*.csv.gz`` and ``*.csv`` in ``folder`` by name (file name without the suffixes)."""
    found = {p.name.removesuffix(".gz").removesuffix(".csv"): p for p in sorted(folder.iterdir())}
    found = {name: path for name, path in found.items() if path.name.endswith((".csv", ".csv.gz"))}
    if only:
        missing = sorted(set(only) - set(found))
        if missing:
            sys.exit(f"--only {', '.join(missing)}: not in {folder} (sets: {', '.join(found)})")
        found = {name: found[name] for name in only}
    return found


def write_json(path: Path, data: Any) -> None:
    """Atomically, so that an interrupted run never leaves a half-written file for --resume."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def asreview_job(executable: Path, name: str, data: Path, seed: int, resume: bool) -> dict[str, Any]:
    """One ASReview run (or its stored result with --resume), as stored in ``OUT/asreview``."""
    path = OUT / "asreview" / f"{name}-seed{seed}.json"
    if resume and path.exists():
        stored = load_json(path)
        if stored.get("version") == ASREVIEW_VERSION:
            return dict(stored)
    run = run_asreview(executable, data, seed, log=OUT / "asreview" / "logs" / f"{name}-seed{seed}.log")
    if run.version != ASREVIEW_VERSION:
        raise RuntimeError(f"{name}: the project says ASReview {run.version}, expected {ASREVIEW_VERSION}")
    write_json(path, run.to_dict())
    return run.to_dict()


def check_rows(asr: dict[str, Any], dataset: LabelledDataset) -> None:
    """ASReview's dataset rows must be ours row for row: same count, every label, the first titles."""
    name = asr["dataset"]
    if asr["n_records"] != len(dataset.labels):
        raise SystemExit(f"{name}: ASReview read {asr['n_records']} records, we read {len(dataset.labels)}")
    ours = "".join("1" if label else "0" for label in dataset.labels)
    if asr["labels"] != ours:
        first = next(i for i, (a, b) in enumerate(zip(asr["labels"], ours, strict=True)) if a != b)
        raise SystemExit(f"{name}: labels differ from row {first} on; ASReview's rows are not ours")
    for row, title in enumerate(asr["title_sample"]):
        if " ".join(title.split()) != " ".join(dataset.titles[row].split()):
            raise SystemExit(f"{name}, row {row}: ASReview's title {title!r} is not ours")


def our_job(
    name: str, dataset: LabelledDataset, asr: dict[str, Any], model: str, resume: bool
) -> dict[str, Any]:
    """Our simulation from ASReview's priors, and both orders' metrics and stopping points."""
    seed = asr["seed"]
    path = OUT / model / f"{name}-seed{seed}.json"
    if resume and path.exists():
        stored = load_json(path)
        same = [stored["prior_included"], stored["prior_excluded"], stored["asreview"]["n_screened"]]
        if same == [asr["prior_included"], asr["prior_excluded"], len(asr["order"])]:
            return dict(stored)
    check_rows(asr, dataset)
    priors = (asr["prior_included"], asr["prior_excluded"])
    result = simulate(dataset, ranker=model, seed=seed, prior_records=priors)
    if [list(result.prior_included), list(result.prior_excluded)] != [list(p) for p in priors]:
        raise RuntimeError(f"{name}: simulate started from other priors than ASReview's")
    n_priors = len(priors[0]) + len(priors[1])
    n_records = len(dataset.labels) - n_priors
    to_find = dataset.n_relevant - len(priors[0])
    sides: dict[str, dict[str, Any]] = {}
    for side, order in (("asreview", asr["order"]), ("ours", list(result.order))):
        decisions = [dataset.labels[row] for row in order]
        if sum(decisions) != to_find or set(order) & set(priors[0] + priors[1]):
            # Stopping early is only harmless if every relevant record had been found by then.
            raise RuntimeError(f"{name}, seed {seed}: {side} found {sum(decisions)} of {to_find} relevant")
        metrics = screening_metrics(decisions, n_records=n_records).to_dict(curve=False)
        sides[side] = {**metrics, "n_screened": len(order), "stops": stop_points(decisions, n_records)}
    sides["asreview"]["seconds"] = asr["seconds"]
    sides["ours"] |= {
        "ranker": result.model,
        "n_retrains": len(result.retrain_seconds),
        "retrain_seconds_mean": result.retrain_seconds_mean,
        "seconds": result.total_seconds,
    }
    perfect = screening_metrics([True] * to_find, n_records=n_records)
    run = {"dataset": name, "seed": seed, "model": model, "prior_included": priors[0]}
    run |= {"prior_excluded": priors[1], "perfect_wss_95": perfect.wss_95, **sides}
    write_json(path, run)
    return run


def retrain_timing(dataset: LabelledDataset, model: str, tick: Callable[[], None]) -> dict[str, Any]:
    """Mean retrain time of ``model`` on 10,000 records, early (two priors decided) and later on
    (2,000 decided: the fit grows with the decided records, the scoring with the undecided ones).
    The largest set is repeated to 10,000 rows: real texts, so the vocabulary and the sparsity of
    the features are those of a real search."""
    repeats = -(-TIMING_RECORDS // len(dataset.labels))
    texts = (dataset.texts * repeats)[:TIMING_RECORDS]
    labels = (list(dataset.labels) * repeats)[:TIMING_RECORDS]
    ranker = get_ranker(model, seed=0)
    load = os.getloadavg()[0]  # timings mean little on a busy machine: say how busy it was
    started = time.perf_counter()
    features = ranker.features(texts)
    feature_seconds = time.perf_counter() - started
    first = {labels.index(True): True, labels.index(False): False}
    sample = np.random.default_rng(0).choice(TIMING_RECORDS, TIMING_DECIDED, replace=False)
    timing: dict[str, Any] = {
        "source": dataset.name.removesuffix(".gz").removesuffix(".csv"),
        "records": TIMING_RECORDS,
        "feature_seconds": feature_seconds,
        "load_average": load,
    }
    for phase, decided in (("early", first), ("later", {int(i): labels[i] for i in sample} | first)):
        learner = ActiveLearner(texts, ranker, labels=decided, features=features, seed=0)
        for suggestion in learner:
            if len(learner.retrain_seconds) >= TIMING_RETRAINS:
                break
            learner.label(suggestion.index, labels[suggestion.index])
            tick()
        tick()  # the first retrain, before any label
        seconds = learner.retrain_seconds[:TIMING_RETRAINS]
        timing[phase] = {"decided": len(decided), "retrains": len(seconds), "mean": statistics.fmean(seconds)}
        timing[phase]["max"] = max(seconds)
    timing["mean"] = statistics.fmean([timing["early"]["mean"], timing["later"]["mean"]])
    return timing


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def summarise(runs: list[dict[str, Any]], timing: dict[str, Any], seeds: list[int]) -> dict[str, Any]:
    """Per-set means over the seeds, means over the sets, the targets and the stopping rules."""
    sets: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(run["dataset"] for run in runs):
        mine = [run for run in runs if run["dataset"] == name]
        n_priors = len(mine[0]["prior_included"]) + len(mine[0]["prior_excluded"])
        row: dict[str, Any] = {"records": mine[0]["ours"]["n_records"] + n_priors}
        row["relevant"] = mine[0]["ours"]["n_relevant"] + len(mine[0]["prior_included"])
        for key in ("wss_95", "recall_at_10pct", "recall_at_20pct", "loss", "seconds"):
            for side in ("asreview", "ours"):
                row[f"{side}_{key}"] = mean([run[side][key] for run in mine])
        row["perfect_wss_95"] = mean([run["perfect_wss_95"] for run in mine])
        row["ours_retrain_seconds_mean"] = mean([run["ours"]["retrain_seconds_mean"] for run in mine])
        row["wss_95_by_seed"] = {str(r["seed"]): [r["asreview"]["wss_95"], r["ours"]["wss_95"]] for r in mine}
        sets[name] = row
    keys = ("wss_95", "recall_at_10pct", "recall_at_20pct", "loss")
    means = {
        f"{s}_{k}": mean([row[f"{s}_{k}"] for row in sets.values()])
        for s in ("asreview", "ours")
        for k in keys
    }
    means["perfect_wss_95"] = mean([row["perfect_wss_95"] for row in sets.values()])
    means["ours_retrain_seconds_mean"] = mean([row["ours_retrain_seconds_mean"] for row in sets.values()])
    worst = min(sets, key=lambda n: sets[n]["ours_wss_95"] - sets[n]["asreview_wss_95"])
    worst_gap = sets[worst]["ours_wss_95"] - sets[worst]["asreview_wss_95"]
    stops = {side: stopping_summary(runs, side) for side in ("ours", "asreview")}
    targets = {
        "mean WSS@95 >= ASReview + 0.03": means["ours_wss_95"] >= means["asreview_wss_95"] + 0.03,
        "mean recall@10% >= ASReview": means["ours_recall_at_10pct"] >= means["asreview_recall_at_10pct"],
        "no set more than 0.05 worse in WSS@95": worst_gap >= -0.05,
        "mean retrain at 10,000 records < 0.5 s": timing["mean"] < 0.5,
        "hypergeometric rule reaches 95% recall in >= 95% of runs": stops["ours"]["hypergeometric"]["reached"]
        >= 0.95,
    }
    return {"seeds": seeds, "sets": sets, "means": means, "worst_set": [worst, worst_gap]} | {
        "stopping": stops,
        "timing": timing,
        "targets": targets,
    }


def stopping_summary(runs: list[dict[str, Any]], side: str) -> dict[str, dict[str, float]]:
    """For each rule over all runs: how often it fired, how often recall was >= 95% when screening
    stopped, the mean recall then and the mean share of the records left unscreened. A rule that
    never fired leaves everything to be screened: recall 1, nothing saved."""
    summary: dict[str, dict[str, float]] = {}
    for rule in RULES:
        points = [
            (s, run[side]["n_records"]) for run in runs for s in run[side]["stops"] if s["rule"] == rule
        ]
        recalls = [1.0 if p["n_screened"] is None else p["recall"] for p, _ in points]
        saved = [0.0 if p["n_screened"] is None else (n - p["n_screened"]) / n for p, n in points]
        summary[rule] = {
            "runs": len(points),
            "fired": sum(p["n_screened"] is not None for p, _ in points) / len(points),
            "reached": sum(r >= 0.95 - 1e-9 for r in recalls) / len(points),
            "recall_mean": mean(recalls),
            "recall_min": min(recalls),
            "saved_mean": mean(saved),
        }
    return summary


def render(summary: dict[str, Any], version: str, model: str, seconds: dict[str, float]) -> str:
    """The docs section: settings, the per-set table, the targets and the stopping rules."""
    sets, means, timing = summary["sets"], summary["means"], summary["timing"]
    seeds = ", ".join(str(s) for s in summary["seeds"])
    ranker = f"`{model}`" + (" (`DEFAULT_RANKER`)" if model == DEFAULT_RANKER else "")
    lines = [
        "## Screening prioritisation beside ASReview (`benchmarks/screening.py`)",
        "",
        f"{measured_on()}. ASReview {version} (`elas_u4`: linear SVM, C 0.11, balanced ratio 9.8, word "
        f"1-2 gram TF-IDF) in its own venv against our {ranker}, on {len(sets)} sets × seeds {seeds}. "
        f"ASReview's command, per set and seed (a `.csv.gz` decompressed to a `.csv` first):",
        "",
        f"    {COMMAND}",
        "",
        "Ours replays each run from ASReview's prior records (read from the project's `results` "
        "table: the rows with no classifier), so the orders differ only by the model. Both orders go "
        "through the same `screening_metrics` (priors left out; WSS@95 in Cohen's form). ASReview "
        "stops at the last relevant record; the rest are irrelevant and change no metric. "
        f"Wall time: ASReview runs {seconds['asreview'] / 60:.1f} min (2 at a time), "
        f"ours {seconds['ours'] / 60:.1f} min, whole benchmark {seconds['total'] / 60:.1f} min.",
        "",
        "| Set | Records | Relevant | WSS@95 ASReview | ours | Δ | Recall@10% ASReview | ours | Δ | "
        "Loss ASReview | ours | Perfect WSS@95 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def cells(row: dict[str, Any]) -> str:
        parts = []
        for key in ("wss_95", "recall_at_10pct"):
            a, o = row[f"asreview_{key}"], row[f"ours_{key}"]
            parts += [f"{a:.3f}", f"{o:.3f}", f"{o - a:+.3f}"]
        parts += [f"{row['asreview_loss']:.3f}", f"{row['ours_loss']:.3f}", f"{row['perfect_wss_95']:.3f}"]
        return " | ".join(parts)

    for name, row in sets.items():
        lines.append(f"| {name} | {row['records']:,} | {row['relevant']} | {cells(row)} |")
    lines.append(f"| **Mean of {len(sets)} sets** | | | {cells(means)} |")
    worst, gap = summary["worst_set"]
    early, later = timing["early"], timing["later"]
    lines += [
        "",
        f"Mean retrain during the runs above: {means['ours_retrain_seconds_mean'] * 1000:.1f} ms. "
        f"At {timing['records']:,} records ({timing['source']} repeated; features "
        f"{timing['feature_seconds']:.1f} s once): {early['mean'] * 1000:.0f} ms mean with "
        f"{early['decided']} decided, {later['mean'] * 1000:.0f} ms with {later['decided']:,} decided "
        f"(max {max(early['max'], later['max']) * 1000:.0f} ms; {TIMING_RETRAINS} retrains each; "
        f"load average {timing['load_average']:.1f} when the timing started).",
        "",
        "| Target | Measured | Met |",
        "|---|---|---|",
    ]
    measured = [
        f"{means['ours_wss_95']:.3f} vs {means['asreview_wss_95']:.3f} + 0.03",
        f"{means['ours_recall_at_10pct']:.3f} vs {means['asreview_recall_at_10pct']:.3f}",
        f"worst: {worst} {gap:+.3f}",
        f"{timing['mean'] * 1000:.0f} ms",
        f"{summary['stopping']['ours']['hypergeometric']['reached']:.0%} of runs",
    ]
    for (target, met), text in zip(summary["targets"].items(), measured, strict=True):
        lines.append(f"| {target} | {text} | {'yes' if met else '**no**'} |")
    lines += [
        "",
        "Stopping rules on our orders (hypergeometric: 95% target recall, 95% confidence; knee checked "
        "every 10 records; 100 irrelevant in a row), over all runs. A rule that never fired means "
        "screening everything: recall 1, nothing saved. ASReview's orders for comparison in brackets.",
        "",
        "| Rule | Fired | Recall >= 95% at stop | Mean recall at stop | Lowest | Screening saved (mean) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    ours, theirs = summary["stopping"]["ours"], summary["stopping"]["asreview"]
    for rule in RULES:
        o, t = ours[rule], theirs[rule]
        lines.append(
            f"| {rule} | {o['fired']:.0%} ({t['fired']:.0%}) | {o['reached']:.0%} ({t['reached']:.0%}) | "
            f"{o['recall_mean']:.3f} ({t['recall_mean']:.3f}) | "
            f"{o['recall_min']:.3f} ({t['recall_min']:.3f}) | "
            f"{o['saved_mean']:.1%} ({t['saved_mean']:.1%}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=DEFAULT_RANKER, help=f"our ranker (default {DEFAULT_RANKER})")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", action="append", metavar="SET", help="this set only (repeatable)")
    parser.add_argument("--resume", action="store_true", help="reuse runs stored in benchmarks/out/screening")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--jobs", type=int, default=2, help="ASReview runs at a time (default 2)")
    args = parser.parse_args()
    if not args.data_dir.is_dir():
        sys.exit(f"No labelled screening sets: {args.data_dir} is absent. Pass --data-dir DIR.")
    paths = find_datasets(args.data_dir, args.only)
    if not paths:
        sys.exit(f"No *.csv.gz or *.csv in {args.data_dir}.")
    get_ranker(args.model)  # an unknown name fails now, not after the ASReview runs
    started = time.perf_counter()
    executable = ensure_asreview(VENV, sys.executable, console.print)
    version = asreview_version(executable)
    console.print(
        f"ASReview {version} ({executable}); our model {args.model}; {len(paths)} sets × seeds {args.seeds}"
    )
    datasets = {name: read_labelled_csv(path) for name, path in paths.items()}
    jobs = [
        (name, seed) for name in sorted(paths, key=lambda n: -len(datasets[n].labels)) for seed in args.seeds
    ]
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    asr: dict[tuple[str, int], dict[str, Any]] = {}
    runs: list[dict[str, Any]] = []
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("ASReview simulate", total=len(jobs))
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {
                pool.submit(asreview_job, executable, n, paths[n], s, args.resume): (n, s) for n, s in jobs
            }
            for future in as_completed(futures):
                asr[futures[future]] = run = future.result()
                progress.console.print(
                    f"ASReview {run['dataset']} seed {run['seed']}: priors {run['prior_included']} + "
                    f"{run['prior_excluded']}, {len(run['order'])} screened, {run['seconds']:.1f} s"
                )
                progress.advance(task)
        asreview_seconds = time.perf_counter() - started
        # Ours one at a time, after ASReview: its retrain times are then not slowed by other runs.
        task = progress.add_task(f"ours ({args.model})", total=len(jobs))
        for name, seed in sorted(jobs):
            runs.append(our_job(name, datasets[name], asr[(name, seed)], args.model, args.resume))
            progress.advance(task)
        ours_seconds = time.perf_counter() - started - asreview_seconds
        task = progress.add_task("retrains at 10,000 records", total=2 * TIMING_RETRAINS)
        largest = max(datasets.values(), key=lambda d: len(d.labels))
        timing = retrain_timing(largest, args.model, lambda: progress.advance(task))
    seconds = {"asreview": asreview_seconds, "ours": ours_seconds, "total": time.perf_counter() - started}
    summary = summarise(runs, timing, args.seeds)
    report = render(summary, version, args.model, seconds)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    write_json(
        OUT / "results.json",
        {"measured_at": stamp, "asreview_version": version, "command": COMMAND, "model": args.model}
        | {"wall_seconds": seconds, **summary, "runs": runs},
    )
    print(report, flush=True)
    if not args.no_docs:
        write_section(DOCS, "screening", report)
        console.print(f"Wrote the screening section of {DOCS}")


if __name__ == "__main__":
    main()
