"""``users from-protocol``: the protocol's reviewers become accounts acting under the protocol's names,
so earlier decisions keep their author; ``--as``/``--reviewer`` take the login; reset links work."""

from __future__ import annotations

import re
from pathlib import Path

import tomlkit
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.services.accounts.identity import login_slug
from tests.helpers import ris_text

NAMES = ["Aoife Brennan", "Łukasz Nowak", "Ingrid Östlund-Berg"]


def _project(runner: CliRunner, tmp_path: Path) -> Path:
    project = tmp_path / "review"
    assert runner.invoke(app, ["init", str(project), "--title", "Names"]).exit_code == 0
    path = project / "review.toml"
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["screening"]["title_abstract"]["reviewers"] = NAMES
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    export = tmp_path / "records.ris"
    export.write_text(ris_text(3), encoding="utf-8")
    result = runner.invoke(app, ["import", str(export), "--source", "MEDLINE", "--project", str(project)])
    assert result.exit_code == 0, result.output
    return project


def test_slugs() -> None:
    assert [login_slug(name) for name in NAMES] == ["aoife.brennan", "lukasz.nowak", "ingrid.ostlund-berg"]


def test_reviewers_become_accounts_and_keep_their_decisions(runner: CliRunner, tmp_path: Path) -> None:
    project = _project(runner, tmp_path)
    p = ["--project", str(project)]
    before = runner.invoke(app, ["screen", "decide", "1", "include", "--reviewer", "Aoife Brennan", *p])
    assert before.exit_code == 0, before.output

    dry = runner.invoke(app, ["users", "from-protocol", "--dry-run", *p])
    assert dry.exit_code == 0 and "aoife.brennan" in dry.output and "Nothing was changed" in dry.output
    listed = runner.invoke(app, ["users", "list", "--json", *p])
    assert '"name"' not in listed.output, "the dry run made no account"

    made = runner.invoke(app, ["users", "from-protocol", "--base-url", "https://r.example.org", *p])
    assert made.exit_code == 0, made.output
    links = re.findall(r"^(\S+): (https://r\.example\.org/reset/\S+)$", made.output, re.M)
    assert [login for login, _ in links] == ["aoife.brennan", "lukasz.nowak", "ingrid.ostlund-berg"]
    members = runner.invoke(app, ["members", "list", str(project), "--json"])
    assert members.output.count('"reviewer"') == 3

    again = runner.invoke(app, ["users", "from-protocol", *p])
    assert again.exit_code == 0 and "existing" in again.output
    assert "https://" not in again.output, "matched this time: no new accounts, no links"

    # the login acts under the protocol's spelling: her decision is hers, whichever name is given
    undo = runner.invoke(app, ["screen", "undo", "--reviewer", "aoife.brennan", *p])
    assert undo.exit_code == 0, undo.output
    assert "Aoife Brennan's include on record 1" in undo.output
    decided = runner.invoke(app, ["screen", "decide", "2", "exclude", "--reviewer", "lukasz.nowak", *p])
    assert decided.exit_code == 0, decided.output
    shown = runner.invoke(app, ["screen", "decisions", "2", "--json", "--reviewer", "lukasz.nowak", *p])
    assert "Łukasz Nowak" in shown.output


def test_email_and_reset_link_commands(runner: CliRunner, tmp_path: Path) -> None:
    project = _project(runner, tmp_path)
    p = ["--project", str(project)]
    added = runner.invoke(
        app,
        ["users", "add", "olwen", "--password-stdin", "--email", "olwen@example.org", *p],
        input="long enough\n",
    )
    assert added.exit_code == 0, added.output
    assert '"email": "olwen@example.org"' in runner.invoke(app, ["users", "list", "--json", *p]).output
    bad = runner.invoke(app, ["users", "email", "olwen", "not-an-address", *p])
    assert bad.exit_code == 1 and "not an e-mail address" in bad.output
    assert runner.invoke(app, ["users", "email", "olwen", "", *p]).exit_code == 0
    link = runner.invoke(app, ["users", "reset-link", "olwen", *p])
    assert link.exit_code == 0 and "http://127.0.0.1:8000/reset/" in link.output
