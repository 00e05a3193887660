"""`synthesist dedup ...`, `status` and `export --deduplicated` as a user meets them
(SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.errors import NotFound
from tests.dedup_helpers import EMBASE, MEDLINE


def run(runner: CliRunner, *args: str | Path, code: int = 0, input: str | None = None) -> str:
    result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def run_json(runner: CliRunner, *args: str | Path) -> Any:
    result = runner.invoke(app, [*(str(a) for a in args), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def words(text: str) -> str:
    """The output with Rich's line wrapping and table rules undone."""
    return " ".join(text.replace("│", " ").replace("┃", " ").split())


@pytest.fixture
def searched(runner: CliRunner, project_dir: Path, tmp_path: Path) -> Path:
    """The project with the Embase and MEDLINE searches imported (7 records, ids 1-7 in file order)."""
    for name, text, source in (("embase.ris", EMBASE, "Embase"), ("medline.ris", MEDLINE, "MEDLINE (Ovid)")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        run(runner, "import", path, "--source", source, "-p", project_dir)
    return project_dir


def ids(runner: CliRunner, project: Path) -> dict[str, int]:
    listing = run_json(runner, "records", "list", "-p", project)
    return {record["source_record_id"]: record["record_id"] for record in listing["records"]}


def set_protocol(project: Path, **settings: Any) -> None:
    path = project / "review.toml"
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    section = document["deduplication"]
    assert isinstance(section, dict)
    section.update(settings)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


def test_dedup_run_and_status_report_duplicates_removed_and_records_remaining(
    runner: CliRunner, searched: Path
) -> None:
    before = words(run(runner, "status", "-p", searched))
    assert "run `synthesist dedup run`" in before and "duplicates removed" not in before

    out = words(run(runner, "dedup", "run", "-p", searched))
    assert "1 new duplicate group," in out and "1 possible duplicate." in out
    assert "1 possible duplicate to review" in out
    assert "Records identified 7" in out and "Duplicates removed 1" in out and "Records remaining 6" in out
    assert "`synthesist dedup review`" in out

    again = words(run(runner, "dedup", "run", "-p", searched))
    assert "nothing to compare" in again and "--all" in again

    data = run_json(runner, "dedup", "run", "--all", "-p", searched)
    assert data["ran"] is True and data["scope"] == "all"
    assert (data["records_total"], data["duplicates_total"], data["records_remaining"]) == (7, 1, 6)
    assert (data["groups_total"], data["pending_total"], data["records_checked"]) == (1, 1, 7)
    assert {"run_id", "seconds", "candidate_pairs", "duplicate_pairs", "possible_pairs", "groups_created",
            "groups_grown"} <= set(data)  # fmt: skip
    assert run_json(runner, "dedup", "run", "-p", searched)["ran"] is False

    after = words(run(runner, "status", "-p", searched))
    assert "duplicates removed 1" in after and "after deduplication 6" in after
    assert "run `synthesist dedup run`" not in after
    assert "1 possible duplicates wait for a reviewer" in after
    status = run_json(runner, "status", "-p", searched)
    assert (status["duplicates_removed"], status["records_after_deduplication"]) == (1, 6)
    assert (status["duplicate_groups"], status["possible_duplicates_to_review"]) == (1, 1)
    assert status["deduplicated"] is True
    assert [e["type"] for e in run_json(runner, "log", "-p", searched)][-2:] == ["dedup.run", "dedup.run"]


def test_dedup_review_reads_one_key_per_pair_and_stores_the_decisions(
    runner: CliRunner, searched: Path
) -> None:
    set_protocol(searched, auto_merge=False)  # both pairs wait for a reviewer
    run(runner, "dedup", "run", "-p", searched)
    record = ids(runner, searched)
    assert len(run_json(runner, "dedup", "pairs", "-p", searched)) == 2

    out = words(run(runner, "dedup", "review", "-p", searched, input="q"))
    assert "Possible duplicate 2 of 2" not in out and "Decided 0 of 2 pairs" in out
    out = words(run(runner, "dedup", "review", "-p", searched, input="s q"))
    assert "Possible duplicate 1 of 2" in out and "Possible duplicate 2 of 2" in out  # s: the next one
    assert "same title, but different pages" in out and "Decided 0 of 2 pairs" in out
    assert len(run_json(runner, "dedup", "pairs", "-p", searched)) == 2

    out = words(run(runner, "dedup", "review", "-p", searched, "--as", "alice", input="x d n"))
    assert "Possible duplicate 2 of 2" in out and "Duplicates (group" in out and "Not duplicates" in out
    assert "Decided 2 of 2 pairs" in out
    [confirmed] = run_json(runner, "dedup", "pairs", "--status", "confirmed", "-p", searched)
    [rejected] = run_json(runner, "dedup", "pairs", "--status", "rejected", "-p", searched)
    assert sorted(confirmed["records"]) == [record["emb-article"], record["med-article"]]  # most alike first
    assert sorted(rejected["records"]) == [record["emb-possible"], record["med-possible"]]
    assert confirmed["decided_by"] == rejected["decided_by"] == "alice"
    assert "No possible duplicates to review" in run(runner, "dedup", "review", "-p", searched)
    [group] = run_json(runner, "dedup", "groups", "-p", searched)
    assert (group["primary"], group["duplicates"], group["origin"]) == (
        record["emb-article"], [record["med-article"]], "review",
    )  # fmt: skip


def test_dedup_pairs_and_decide(runner: CliRunner, searched: Path) -> None:
    run(runner, "dedup", "run", "-p", searched)
    [pending] = run_json(runner, "dedup", "pairs", "-p", searched)
    assert pending["status"] == "pending" and pending["outcome"] == "possible" and pending["reasons"]
    [auto] = run_json(runner, "dedup", "pairs", "--status", "auto", "-p", searched)
    assert auto["run_id"] == 1 and auto["decided_by"] is None
    assert "auto" in run(runner, "dedup", "pairs", "--status", "auto", "-p", searched)

    pair = str(pending["pair_id"])
    bad = runner.invoke(app, ["dedup", "decide", pair, "maybe", "-p", str(searched)])
    assert bad.exit_code == 2 and "must be confirm or reject" in bad.output
    out = run(runner, "dedup", "decide", pair, "reject", "--note", "other pages, other paper", "-p", searched)
    assert f"Pair {pair}: not duplicates" in out
    again = runner.invoke(app, ["dedup", "decide", pair, "confirm", "-p", str(searched)])
    assert again.exit_code == 1 and "already rejected" in again.output
    [rejected] = run_json(runner, "dedup", "pairs", "--status", "rejected", "-p", searched)
    assert (rejected["pair_id"], rejected["note"], rejected["decided_by"]) == (
        pending["pair_id"], "other pages, other paper", "tester",
    )  # fmt: skip
    assert run_json(runner, "dedup", "pairs", "-p", searched) == []


def test_dedup_groups_and_show(runner: CliRunner, searched: Path) -> None:
    run(runner, "dedup", "run", "-p", searched)
    record = ids(runner, searched)
    [group] = run_json(runner, "dedup", "groups", "-p", searched)
    assert (group["primary"], group["duplicates"], group["origin"], group["run_id"]) == (
        record["emb-article"], [record["med-article"]], "auto", 1,
    )  # fmt: skip
    assert group["filled"]["language"] == {"value": "English", "from_record": record["med-article"]}
    assert "1 duplicate groups" in run(runner, "dedup", "groups", "-p", searched)

    gid = str(group["group_id"])
    out = words(run(runner, "dedup", "show", gid, "-p", searched))
    assert f"Duplicate group {gid} (auto)" in out
    assert f"{record['emb-article']} (primary)" in out and f"{record['med-article']} (duplicate)" in out
    assert f"Filled into the primary: language from record {record['med-article']}" in out
    shown = run_json(runner, "dedup", "show", "--record", str(record["med-article"]), "-p", searched)
    assert shown["group_id"] == group["group_id"]
    assert shown["merged"]["language"] == "English" and shown["merged"]["doi"] == "10.1111/jan.12600"

    both = runner.invoke(app, ["dedup", "show", gid, "--record", "1", "-p", str(searched)])
    assert both.exit_code == 2 and "not both" in both.output
    alone = runner.invoke(app, ["dedup", "show", "--record", str(record["med-other"]), "-p", str(searched)])
    assert alone.exit_code == NotFound.exit_code and "not in a duplicate group" in alone.output


def test_dedup_merge_primary_split_and_undo(runner: CliRunner, searched: Path) -> None:
    run(runner, "dedup", "run", "-p", searched)
    record = ids(runner, searched)
    a, b = str(record["emb-possible"]), str(record["med-possible"])
    out = run(runner, "dedup", "merge", b, a, "--note", "same study", "-p", searched)
    merged = run_json(runner, "dedup", "show", "--record", a, "-p", searched)
    gid, primary = str(merged["group_id"]), str(merged["primary"])
    other = b if primary == a else a
    assert f"Group {gid}: primary {primary}, duplicates {other}" in out

    assert f"Group {gid}: primary {other}" in run(runner, "dedup", "primary", gid, other, "-p", searched)
    assert run_json(runner, "dedup", "show", gid, "-p", searched)["primary"] == int(other)

    out = run(runner, "dedup", "split", gid, primary, "--note", "not the same after all", "-p", searched)
    assert f"Group {gid} dissolved" in out
    assert len(run_json(runner, "dedup", "groups", "-p", searched)) == 1

    [article] = run_json(runner, "dedup", "groups", "-p", searched)
    out = words(run(runner, "dedup", "undo", str(article["group_id"]), "-p", searched))
    assert f"Group {article['group_id']} undone" in out and "distinct again" in out
    assert run_json(runner, "dedup", "groups", "-p", searched) == []
    log = [e["type"] for e in run_json(runner, "log", "-p", searched)]
    assert log[-4:] == ["dedup.merged", "dedup.primary_changed", "dedup.split", "dedup.undone"]
    assert "split records" in run(runner, "log", "-p", searched)


def test_dedup_commands_on_unknown_groups_name_the_command_that_lists_them(
    runner: CliRunner, project_dir: Path
) -> None:
    for args in (["show", "99"], ["undo", "99"], ["split", "99", "1"], ["primary", "99", "1"]):
        result = runner.invoke(app, ["dedup", *args, "-p", str(project_dir)])
        assert result.exit_code == NotFound.exit_code, (args, result.output)
        assert "no duplicate group 99" in result.output and "synthesist dedup groups" in result.output
        assert "Traceback" not in result.output
    result = runner.invoke(app, ["dedup", "decide", "99", "confirm", "-p", str(project_dir)])
    assert result.exit_code == NotFound.exit_code and "no duplicate pair 99" in result.output
    result = runner.invoke(app, ["dedup", "merge", "1", "-p", str(project_dir)])
    assert result.exit_code == 1 and "at least two different records" in result.output
    assert "Example: synthesist dedup merge" in result.output


def test_export_deduplicated_leaves_the_duplicates_out(runner: CliRunner, searched: Path) -> None:
    def exported(*options: str) -> list[dict[str, str]]:
        result = runner.invoke(app, ["export", "-f", "csv", "-o", "-", *options, "-p", str(searched)])
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.stdout)))

    run(runner, "dedup", "run", "-p", searched)
    everything = exported()
    assert len(everything) == 7
    assert {"duplicate_group", "is_primary", "duplicate_of"} <= set(everything[0])
    kept = exported("--deduplicated")
    assert len(kept) == 6 and all(row["is_primary"] != "no" for row in kept)
    [primary] = [row for row in kept if row["source_record_id"] == "emb-article"]
    assert primary["is_primary"] == "yes" and primary["language"] == "English"


def _dedup_commands() -> list[tuple[str, Any]]:
    group = get_command(app)
    assert isinstance(group, TyperGroup)
    dedup = group.commands["dedup"]
    assert isinstance(dedup, TyperGroup)
    return sorted(dedup.commands.items())


@pytest.mark.parametrize(("name", "command"), _dedup_commands())
def test_every_dedup_command_has_help_with_an_example(runner: CliRunner, name: str, command: Any) -> None:
    result = runner.invoke(app, ["dedup", name, "--help"])
    assert result.exit_code == 0
    assert "Example: synthesist dedup" in result.output, f"`synthesist dedup {name} --help` has no example"


def test_the_dedup_commands_are_all_there() -> None:
    assert [name for name, _ in _dedup_commands()] == sorted(
        ["run", "review", "pairs", "decide", "groups", "show", "merge", "split", "undo", "primary"]
    )
