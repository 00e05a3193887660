"""``synthesist search run|runs|rerun|citations`` and the report's account of the runs (PRISMA-S),
on recorded responses; the strategy's rendering for each live source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import synthesist.cli.search.runs as cli_module
from synthesist.cli.main import app
from synthesist.reporting.report.model import Paragraph, Table
from synthesist.search.sources import SourceQuery, open_source
from synthesist.search.sources.openalex import openalex_query
from synthesist.search.strategy_file import strategy_from_toml
from synthesist.services.reporting.report import build_report
from synthesist.services.search.runs import rerun, start_run, strategy_query
from synthesist.workspace import Workspace
from tests.search_live.replay import QUERIES, Replay

STRATEGY = """combine = "partnership AND back_pain NOT animals"

[limits]
years = [1980, 2014]
languages = ["English"]

[[blocks]]
name = "partnership"
fields = ["ti", "ab"]
terms = ['"shared decision making"', "partner*", "collaborat*"]

[[blocks]]
name = "back_pain"
terms = ['"back pain"', "backache"]

[[blocks.headings]]
vocabulary = "mesh"
label = "Back Pain"
explode = true

[[blocks]]
name = "animals"
terms = ["rats"]
"""


def _write_strategy(root: Path) -> None:
    (root / "search").mkdir(exist_ok=True)
    (root / "search" / "main.toml").write_text(STRATEGY, encoding="utf-8")


def test_each_live_source_gets_the_strategy_in_its_syntax(workspace: Workspace) -> None:
    _write_strategy(workspace.project.root)
    pubmed, _ = strategy_query(workspace, "main", "pubmed")
    assert '"Back Pain"[Mesh]' in pubmed and "partner*[tiab]" in pubmed and "NOT" in pubmed
    europepmc, _ = strategy_query(workspace, "main", "europepmc")
    assert 'MESH_HEADING:"Back Pain"' in europepmc
    openalex, notes = strategy_query(workspace, "main", "openalex")
    assert openalex == (
        '(("shared decision making" OR partner OR collaborat) AND ("Back Pain" OR "back pain" OR backache))'
        " NOT rats\nfilter:publication_year:1980-2014,language:en"
    )
    assert any("no truncation" in note for note in notes)
    crossref, notes = strategy_query(workspace, "main", "crossref")
    # free text only: the NOT block's words are left out rather than searched for
    assert crossref == (
        "shared decision making partner collaborat back pain backache"
        "\nfilter:from-pub-date:1980,until-pub-date:2014"
    )
    assert any("no Boolean search" in note for note in notes)


def test_a_strategy_runs_on_a_source(workspace: Workspace) -> None:
    _write_strategy(workspace.project.root)
    replay = Replay()
    outcome = start_run(workspace, "main", "europepmc", page_size=2, options=replay.options())
    assert outcome.run.imported == 5 and outcome.notes
    sent = replay.params(1)["query"]
    assert sent.startswith("(((TITLE:") and sent.endswith("LANG:eng")
    assert outcome.run.query_as_run == sent


def _flat(output: str) -> str:
    """The output without Rich's line wrapping."""
    return " ".join(output.split())


def _fake_options(replays: list[Replay], update: bool = False) -> Any:
    def options(**given: Any) -> Any:
        replay = Replay(update=update)
        replays.append(replay)
        return replay.options(**given)

    return options


def test_the_commands(project_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    replays: list[Replay] = []
    monkeypatch.setattr(cli_module, "SourceOptions", _fake_options(replays))
    where = ["--project", str(project_dir)]
    result = runner.invoke(
        app,
        [
            "search",
            "run",
            "main",
            "--source",
            "openalex",
            "--query",
            QUERIES["openalex"],
            "--email",
            "me@example.org",
            *where,
        ],
    )
    assert result.exit_code == 0, _flat(result.output)
    assert "Search main on OpenAlex (run 1): 5 hits, 5 fetched, 5 imported as batch" in _flat(result.output)
    assert replays[0].params(1)["mailto"] == "me@example.org"

    result = runner.invoke(app, ["search", "runs", "--json", *where])
    [run] = json.loads(result.output)
    assert (run["source"], run["status"], run["total"], run["imported"]) == ("openalex", "completed", 5, 5)

    monkeypatch.setattr(cli_module, "SourceOptions", _fake_options(replays, update=True))
    result = runner.invoke(app, ["search", "rerun", *where])
    assert result.exit_code == 0, _flat(result.output)
    assert "Update main on OpenAlex (run 2)" in _flat(
        result.output
    ) and "5 already in the project, 0 imported" in _flat(result.output)

    result = runner.invoke(app, ["search", "runs", *where])
    assert result.exit_code == 0 and "(update)" in _flat(result.output)  # the update, by kind

    result = runner.invoke(app, ["search", "run", "--source", "openalex", *where])
    assert result.exit_code == 1 and "name the strategy and the source" in _flat(result.output)


def test_an_interrupted_run_and_its_resume_on_the_command_line(
    project_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(**given: Any) -> Any:
        return Replay(fail_from=3).options(**given)  # the search and page 1 answer

    monkeypatch.setattr(cli_module, "SourceOptions", failing)
    where = ["--project", str(project_dir)]
    result = runner.invoke(
        app, ["search", "run", "main", "--source", "pubmed", "--query", QUERIES["pubmed"], *where]
    )
    assert result.exit_code != 0
    assert "search run 1 interrupted after 1 page (2 records)" in _flat(result.output)
    assert "synthesist search run --resume 1" in _flat(result.output)
    monkeypatch.setattr(cli_module, "SourceOptions", _fake_options([]))
    result = runner.invoke(app, ["search", "run", "--resume", "1", *where])
    assert result.exit_code == 0, _flat(result.output)
    assert "5 imported" in _flat(result.output)


def test_the_report_shows_each_search_as_run_and_each_update(workspace: Workspace) -> None:
    start_run(workspace, "main", "pubmed", query=QUERIES["pubmed"], page_size=2, options=Replay().options())
    rerun(workspace, options=Replay(update=True).options())
    report = build_report(workspace)
    search = report.find("appendix-search")
    assert search is not None
    strategies, updates = [block for block in search.blocks if isinstance(block, Table)]
    [row] = strategies.rows
    assert row[0] == "PubMed" and row[2] == QUERIES["pubmed"] and row[3] == "5"
    assert any("exactly as sent" in note for note in strategies.notes)
    [update] = updates.rows
    assert update[1] == "PubMed" and update[4:] == ("3", "1", "2")
    methods = report.find("methods-search")
    assert methods is not None
    text = " ".join(block.text for block in methods.blocks if isinstance(block, Paragraph))
    assert "PubMed was searched through its public APIs with Synthesist" in text
    assert "updated 1 time as a living review" in text and "2 new records" in text
    # the methods point at the appendix tables by the numbers the report gave them
    assert (strategies.number, updates.number) == ("S1", "S2")
    assert "(appendix, Table S1)" in text and "(appendix, Table S2)" in text


def test_a_title_and_abstract_strategy_uses_openalex_s_title_and_abstract_search() -> None:
    strategy = strategy_from_toml(
        """combine = "partnership AND back_pain"
[[blocks]]
name = "partnership"
fields = ["ti", "ab"]
terms = ["partner*"]
[[blocks]]
name = "back_pain"
fields = ["ti"]
terms = ['"back pain"']
""",
        "search/narrow.toml",
        "narrow",
    )
    assert openalex_query(strategy) == 'filter:title_and_abstract.search:partner AND "back pain"'
    assert open_source("openalex", Replay().options()).describe(SourceQuery(openalex_query(strategy))) == (
        'filter=title_and_abstract.search:partner AND "back pain"'
    )
