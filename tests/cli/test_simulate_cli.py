"""``synthesist simulate`` on a small synthetic labelled dataset."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from typer.testing import CliRunner

from synthesist.cli.main import app


def _dataset(path: Path) -> None:
    rng = random.Random(3)
    common = [
        "care",
        "patients",
        "study",
        "outcomes",
        "results",
        "methods",
        "hospital",
        "data",
        "analysis",
        "trial",
        "group",
    ]
    topic = ["partnership", "self-management", "back", "pain", "physiotherapy"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "abstract", "label_included"])
        for n in range(300):
            relevant = n % 15 == 0
            words = rng.sample(common, 6) + (rng.sample(topic, 3) if relevant else [])
            writer.writerow([" ".join(words), " ".join(rng.sample(common, 8) + words), int(relevant)])


def test_simulate_writes_the_metrics_and_the_stopping_points(runner: CliRunner, tmp_path: Path) -> None:
    data, output = tmp_path / "data.csv", tmp_path / "out" / "metrics.json"
    _dataset(data)
    result = runner.invoke(app, ["simulate", str(data), "--seed", "1", "-o", str(output)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(output.read_text())
    assert metrics["n_records"] == 298 and metrics["n_relevant"] == 19, "the two prior records left out"
    assert metrics["wss_95"] > 0.3 and metrics["recall_at_10pct"] > 0.4
    assert {stop["rule"] for stop in metrics["stopping_rules"]} == {
        "hypergeometric",
        "knee",
        "consecutive-irrelevant",
    }
    assert "WSS@95" in result.output
    again = tmp_path / "again.json"
    runner.invoke(app, ["simulate", str(data), "--seed", "1", "-o", str(again)])
    assert json.loads(again.read_text())["wss_95"] == metrics["wss_95"], "deterministic for a seed"


def test_an_unknown_model_lists_the_available_ones(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    _dataset(data)
    result = runner.invoke(app, ["simulate", str(data), "--model", "magic", "-o", str(tmp_path / "m.json")])
    assert result.exit_code != 0 and "svm" in result.output
    assert "Example: synthesist simulate" in runner.invoke(app, ["simulate", "--help"]).output
