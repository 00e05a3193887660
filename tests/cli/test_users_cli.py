"""``synthesist users`` and ``synthesist members``: accounts, roles and their events."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.review.project import find_project
from synthesist.services.records.reading import read_log
from synthesist.workspace import open_workspace


def test_users_and_members_from_the_command_line(runner: CliRunner, project_dir: Path) -> None:
    where = ["--project", str(project_dir)]
    added = runner.invoke(
        app, ["users", "add", "aoife", "--password-stdin", *where], input="long enough pw\n"
    )
    assert added.exit_code == 0, added.output
    prompted = runner.invoke(app, ["users", "add", "lukasz", *where], input="secret pw 1\nsecret pw 2\n")
    assert prompted.exit_code == 1 and "differ" in prompted.output
    short = runner.invoke(app, ["users", "add", "ingrid", "--password-stdin", *where], input="short\n")
    assert short.exit_code == 1 and "at least 8" in short.output
    listed = runner.invoke(app, ["users", "list", "--json", *where])
    assert '"name": "aoife"' in listed.output and "lukasz" not in listed.output

    member = runner.invoke(app, ["members", "add", str(project_dir), "aoife", "--role", "owner"])
    assert member.exit_code == 0, member.output
    wrong = runner.invoke(app, ["members", "add", str(project_dir), "aoife", "--role", "boss"])
    assert wrong.exit_code == 1 and "not a role" in wrong.output
    missing = runner.invoke(app, ["members", "add", str(project_dir), "nobody"])
    assert missing.exit_code == 1 and "no user named" in missing.output
    assert '"role": "owner"' in runner.invoke(app, ["members", "list", str(project_dir), "--json"]).output
    changed = runner.invoke(
        app, ["users", "passwd", "aoife", "--password-stdin", *where], input="another pw 99\n"
    )
    assert changed.exit_code == 0, changed.output
    assert runner.invoke(app, ["members", "remove", str(project_dir), "aoife"]).exit_code == 0
    assert "aoife" not in runner.invoke(app, ["members", "list", str(project_dir)]).output

    ws = open_workspace(find_project(project_dir))
    try:
        types = [event.type for event in read_log(ws)]
    finally:
        ws.close()
    assert types[-4:] == ["users.added", "members.added", "users.password_changed", "members.removed"]
