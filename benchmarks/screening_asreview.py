"""ASReview's side of ``benchmarks/screening.py``: install it, run ``asreview simulate``, read its project.

ASReview lives in its own virtual environment (``benchmarks/.venv-asreview``, git-ignored), installed
from PyPI on first use: its pins (pandas, scikit-learn, SQLAlchemy, Flask...) must not leak into
ours, and we only ever call its command line.

The ``.asreview`` file ``asreview simulate -o`` writes is a zip holding ``project.json`` (with the
version), the dataset and ``results.db``, a SQLite database. In it (project file version 3):

* ``record``: one row per dataset row, ``dataset_row`` (0-based position in the file as pandas read
  it), ``record_id`` (ASReview's key) and ``included`` (the label column);
* ``results``: one row per labelling action, ``record_id`` and ``label``, inserted in screening
  order (``rowid`` and ``time`` both increase). The prior records come first and have
  ``classifier`` and ``training_set`` NULL; every row after them names the model that chose it.

``asreview simulate`` stops once the last relevant record is found (no ``--n-stop``): the records it
never reached are all irrelevant, which changes no metric. We check that it did find them all.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = [
    "ASREVIEW_VERSION",
    "COMMAND",
    "AsreviewRun",
    "asreview_version",
    "ensure_asreview",
    "read_project",
    "run_asreview",
]

ASREVIEW_VERSION = "3.0.8"
COMMAND = (
    "asreview simulate DATA.csv --ai elas_u4 --n-prior-included 1 --n-prior-excluded 1 "
    "--prior-seed SEED --seed SEED -o OUT.asreview"
)


def ensure_asreview(venv: Path, python: str, say: Callable[[str], None]) -> Path:
    """The ``asreview`` executable in ``venv``, creating the venv and installing ASReview
    ``ASREVIEW_VERSION`` from PyPI when it is missing or another version. ``say`` reports each step."""
    executable = venv / "bin" / "asreview"
    if executable.exists() and asreview_version(executable) == ASREVIEW_VERSION:
        return executable
    steps = []
    if not (venv / "bin" / "python").exists():
        steps.append([python, "-m", "venv", str(venv)])
    steps.append(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"asreview=={ASREVIEW_VERSION}"]
    )
    for step in steps:
        say(f"$ {' '.join(step)}")
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(step)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    version = asreview_version(executable)
    if version != ASREVIEW_VERSION:
        raise RuntimeError(f"{executable} reports version {version!r}, expected {ASREVIEW_VERSION}")
    return executable


def asreview_version(executable: Path) -> str:
    """``asreview --version`` prints ``asreview 3.0.8``; the version alone, or "" if it fails.

    Run in a temporary folder: importing ASReview drops a ``synergy_cache.sqlite`` into the
    working directory, which would otherwise land in the repository."""
    with tempfile.TemporaryDirectory() as folder:
        command = [str(executable), "--version"]
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    return done.stdout.strip().rsplit(" ", 1)[-1] if done.returncode == 0 else ""


@dataclass(frozen=True, slots=True)
class AsreviewRun:
    """One ``asreview simulate`` run as read back from its project file (row indices of the dataset)."""

    dataset: str
    seed: int
    version: str
    command: str
    n_records: int
    labels: str
    """The ``included`` column of ASReview's ``record`` table by dataset row, as a string of 0/1."""
    prior_included: list[int]
    prior_excluded: list[int]
    order: list[int]
    """Rows in the order ASReview screened them after the priors, up to where it stopped."""
    order_labels: list[int]
    """The label ASReview recorded for each row of ``order``."""
    title_sample: list[str]
    """ASReview's titles of rows 0, 1, 2... (first 20), to check that its rows are ours."""
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def run_asreview(executable: Path, data: Path, seed: int, log: Path) -> AsreviewRun:
    """Run ``asreview simulate`` on ``data`` (gzipped or not) with elas_u4 and 1 + 1 priors drawn from
    ``seed``, and read the project back.

    Each run gets its own temporary folder as working directory: ASReview writes a
    ``synergy_cache.sqlite`` into the current folder, and it refuses an output path that exists.
    Its loader does not read gzip, so a ``.csv.gz`` is decompressed there first (a file named like
    the dataset, which is the name ASReview records)."""
    name = data.name.removesuffix(".gz").removesuffix(".csv")
    with tempfile.TemporaryDirectory(prefix=f"asreview-{name}-{seed}-") as tmp:
        folder = Path(tmp)
        csv_path = folder / f"{name}.csv"
        if data.name.endswith(".gz"):
            csv_path.write_bytes(gzip.decompress(data.read_bytes()))
        else:
            shutil.copyfile(data, csv_path)
        output = folder / "out.asreview"
        args = ["--n-prior-included", "1", "--n-prior-excluded", "1", "--prior-seed", str(seed)]
        command = [str(executable), "simulate", csv_path.name, "--ai", "elas_u4", *args, "--seed", str(seed)]
        command += ["-o", output.name]
        started = time.perf_counter()
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w", encoding="utf-8") as handle:
            done = subprocess.run(command, cwd=folder, stdout=handle, stderr=subprocess.STDOUT, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0 or not output.exists():
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
            raise RuntimeError(f"asreview simulate failed on {name}, seed {seed} (log {log}):\n{tail}")
        shown = " ".join(["asreview", *command[1:]])
        return read_project(output, dataset=name, seed=seed, command=shown, seconds=seconds)


def read_project(path: Path, *, dataset: str, seed: int, command: str, seconds: float) -> AsreviewRun:
    """Read the priors and the screening order out of an ``.asreview`` project (see the module
    docstring for its layout). Raises ``RuntimeError`` if the file is not laid out as we expect:
    a wrong reading here would make every comparison meaningless, so we would rather stop."""
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
        project = json.loads(archive.read("project.json"))
        archive.extract("results.db", tmp)
        connection = sqlite3.connect(Path(tmp) / "results.db")
        try:
            records = connection.execute(
                "SELECT dataset_row, record_id, included, title FROM record ORDER BY dataset_row"
            ).fetchall()
            actions = connection.execute(
                "SELECT r.dataset_row, a.label, a.classifier IS NULL AND a.training_set IS NULL "
                "FROM results a JOIN record r ON r.record_id = a.record_id ORDER BY a.rowid"
            ).fetchall()
            n_actions = connection.execute("SELECT count(*) FROM results").fetchone()[0]
            n_changes = connection.execute("SELECT count(*) FROM decision_changes").fetchone()[0]
        finally:
            connection.close()
    rows = [row for row, *_ in records]
    if rows != list(range(len(rows))):
        raise RuntimeError(f"{path}: dataset rows are not 0..{len(rows) - 1}")
    if n_actions != len(actions) or n_changes:
        raise RuntimeError(f"{path}: results rows without a record, or changed decisions ({n_changes})")
    labels = [int(included) for _, _, included, _ in records]
    is_prior = [bool(prior) for _, _, prior in actions]
    n_priors = is_prior.index(False) if False in is_prior else len(is_prior)
    if any(is_prior[n_priors:]):
        raise RuntimeError(f"{path}: a prior record comes after the first model-chosen one")
    screened = [row for row, _, _ in actions]
    if len(set(screened)) != len(screened):
        raise RuntimeError(f"{path}: a record was labelled twice")
    for row, label, _ in actions:
        if label != labels[row]:
            raise RuntimeError(f"{path}: row {row} labelled {label}, its included column is {labels[row]}")
    priors = actions[:n_priors]
    return AsreviewRun(
        dataset=dataset,
        seed=seed,
        version=str(project.get("version", "")),
        command=command,
        n_records=len(records),
        labels="".join(str(label) for label in labels),
        prior_included=sorted(row for row, label, _ in priors if label == 1),
        prior_excluded=sorted(row for row, label, _ in priors if label == 0),
        order=[row for row, _, _ in actions[n_priors:]],
        order_labels=[label for _, label, _ in actions[n_priors:]],
        title_sample=[str(title) for _, _, _, title in records[:20]],
        seconds=seconds,
    )
