"""Commands answer at once: starting ``synthesist`` imports none of the heavy libraries, and the
everyday commands import only what they use (each check runs in a fresh interpreter, as a user's
command does). Timings are the benchmark's job (``benchmarks/cli_startup.py``), not these tests'."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from synthesist.cli.command_table import ROOT_COMMANDS
from synthesist.cli.lazy import load_command
from synthesist.cli.main import app
from tests.helpers import ris_text

# Libraries that take from a tenth of a second to seconds to import, and which start-up must not load.
HEAVY = (
    "sklearn",
    "scipy",
    "numpy",
    "docx",
    "matplotlib",
    "cairosvg",
    "lxml",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "httpx",
    "openpyxl",
    "pypdf",
    "rapidfuzz",
    "graphviz",
    "alembic",
    "sqlalchemy",
    "pydantic",
)
# What a command on an up-to-date project needs anyway: the database and the protocol's validation.
NEEDED_BY_PROJECT_COMMANDS = ("sqlalchemy", "pydantic")

_REPORT_LOADED = """
import json, sys
{setup}
heavy = {heavy!r}
loaded = sorted({{name.split(".")[0] for name in sys.modules}} & set(heavy))
sys.__stdout__.write("\\nLOADED " + json.dumps(loaded) + "\\n")
"""


def loaded_after(setup: str, heavy: tuple[str, ...] = HEAVY, cwd: Path | None = None) -> list[str]:
    """The heavy top-level packages in ``sys.modules`` after running ``setup`` in a fresh interpreter."""
    code = _REPORT_LOADED.format(setup=setup, heavy=heavy)
    env = {key: value for key, value in os.environ.items() if key != "SYNTHESIST_PROJECT"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("LOADED "))
    loaded: list[str] = json.loads(line.removeprefix("LOADED "))
    return loaded


def modules_after(setup: str, modules: list[str], cwd: Path) -> list[str]:
    """Which of ``modules`` (full dotted names) are in ``sys.modules`` after ``setup``, in a fresh
    interpreter; ``loaded_after`` looks at top-level packages only."""
    found = f"sorted(set(sys.modules) & {set(modules)!r})"
    code = f"{setup}\nsys.__stdout__.write('\\nMODULES ' + json.dumps({found}))"
    env = {key: value for key, value in os.environ.items() if key != "SYNTHESIST_PROJECT"}
    done = subprocess.run(
        [sys.executable, "-c", f"import json, sys\n{code}\n"],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("MODULES "))
    loaded: list[str] = json.loads(line.removeprefix("MODULES "))
    return loaded


def run_command(*args: str, exit_code: int = 0) -> str:
    """Run ``synthesist ARGS`` in-process the way the entry point does, checking its exit code."""
    return f"""
from synthesist.cli.main import run
sys.argv = ["synthesist", *{list(args)!r}]
try:
    run()
except SystemExit as exit:
    assert (exit.code or 0) == {exit_code}, exit.code
"""


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    assert loaded_after("import synthesist.cli.main") == []


@pytest.mark.parametrize(("args", "exit_code"), [(("--help",), 0), (("--version",), 0), ((), 2)])
def test_help_and_version_load_no_heavy_library(args: tuple[str, ...], exit_code: int) -> None:
    assert loaded_after(run_command(*args, exit_code=exit_code)) == []  # no arguments: the help, exit 2


def test_everyday_commands_load_only_the_database_and_the_protocol(runner: CliRunner, tmp_path: Path) -> None:
    project = tmp_path / "review"
    export = tmp_path / "records.ris"
    export.write_text(ris_text(3), encoding="utf-8")
    for setup in (
        ["init", str(project), "--title", "Start-up"],
        ["import", str(export), "--source", "MEDLINE", "--project", str(project)],
    ):
        result = runner.invoke(app, setup)
        assert result.exit_code == 0, result.output
    for args in (("status",), ("records", "show", "1"), ("screen", "decide", "2", "include")):
        loaded = loaded_after(run_command(*args), cwd=project)
        assert sorted(set(loaded) - set(NEEDED_BY_PROJECT_COMMANDS)) == [], f"synthesist {' '.join(args)}"


# Our own modules (and libraries) that the everyday commands do not need, and that each cost from 10 to
# 40 ms of every start: PostgreSQL's dialect on a SQLite project, tomlkit (used to write review.toml,
# not to read it), the checklists' models, the later steps' events and the log's redaction services.
# (importlib.metadata stays: pydantic imports it whenever Typer builds a parameter's validator.)
NOT_NEEDED_BY_EVERYDAY_COMMANDS = (
    "sqlalchemy.dialects.postgresql",
    "tomlkit",
    "synthesist.appraisal.checklist",
    "synthesist.events.synthesis",
    "synthesist.events.cerqual",
    "synthesist.events.concept_model",
    "synthesist.services.appraisal.views",
    "synthesist.dedup.merge",
)


def test_everyday_commands_on_a_sqlite_project_leave_the_rest_unimported(
    runner: CliRunner, tmp_path: Path
) -> None:
    project = tmp_path / "review"
    export = tmp_path / "records.ris"
    export.write_text(ris_text(3), encoding="utf-8")
    for setup in (
        ["init", str(project), "--title", "Start-up"],
        ["import", str(export), "--source", "MEDLINE", "--project", str(project)],
    ):
        result = runner.invoke(app, setup)
        assert result.exit_code == 0, result.output
    for args in (("status",), ("records", "show", "1"), ("screen", "decide", "2", "include")):
        # `records show` names the record's duplicate group, and merging is how it finds it
        unneeded = [
            name for name in NOT_NEEDED_BY_EVERYDAY_COMMANDS if args[0] != "records" or "dedup" not in name
        ]
        assert modules_after(run_command(*args), unneeded, cwd=project) == [], f"synthesist {' '.join(args)}"


def test_the_help_lists_each_command_with_its_own_summary() -> None:
    """The root help shows summaries from the command table (nothing imported); each must be the first
    paragraph of the command's own help. After editing a command's help, copy the new first paragraph
    into ``src/synthesist/cli/command_table.py`` (and run ``python scripts/cli_docs.py``)."""
    listed = [spec.name for spec in ROOT_COMMANDS]
    group: Any = get_command(app)
    assert group.list_commands(group.make_context("synthesist", [], resilient_parsing=True)) == listed
    for spec in ROOT_COMMANDS:
        command = load_command(spec, "markdown")
        first_paragraph = inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
        assert " ".join(first_paragraph.split()) == spec.summary, f"summary of `synthesist {spec.name}`"


def _root_help(group: Any, capsys: pytest.CaptureFixture[str]) -> str:
    group.get_help(group.make_context("synthesist", [], resilient_parsing=True))  # Rich prints it
    return capsys.readouterr().out


def test_the_help_is_the_same_with_every_command_imported(capsys: pytest.CaptureFixture[str]) -> None:
    lazy = _root_help(get_command(app), capsys)
    group: Any = get_command(app)
    for name in list(group.commands):
        group.commands[name]  # imports and builds it: the listing then shows the real command
    assert lazy == _root_help(group, capsys)
    assert "records" in lazy and "List and inspect records." in lazy


def test_an_unknown_command_is_refused_with_a_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(app, ["stauts"])
    assert result.exit_code == 2
    assert "No such command 'stauts'" in result.output and "'status'" in result.output
