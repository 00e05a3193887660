"""The error shapes the adapters promise, pinned: one tree in ``synthesist.errors`` whose classes carry
their exit code and HTTP status as data, the CLI's one mapper (``Error: message``, the hint on the next
line, both on stderr, the error's exit code, nothing on stdout even with ``--json``) and the web app's
one handler (``{"error": message, "hint": hint}`` with the error's status for scripts, the error page
for browsers). A 404, a 409 and a 400 go through both adapters, raised by the same service code."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import synthesist.errors as errors
from synthesist.cli.main import app as cli
from synthesist.errors import Conflict, NotFound, UserError
from synthesist.review.accounts import Role
from synthesist.screening.model import Stage, Vote
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide, undo_decision
from synthesist.services.screening.views import decision_json, visible_decisions
from synthesist.web import create_app
from synthesist.workspace import Workspace
from tests.helpers import ris_text
from tests.web.conftest import PASSWORD, login

SRC = Path(errors.__file__).parent

# (exit code, HTTP status) of each class, as the tree in errors.py documents them
DOCUMENTED: dict[str, tuple[int, int]] = {
    "UserError": (1, 400),
    "ProjectNotFound": (1, 404),
    "ProtocolError": (1, 400),
    "ProtocolEditRefused": (1, 400),
    "ImportFileError": (1, 400),
    "InvalidRecordError": (1, 400),
    "StrategySyntaxError": (1, 400),
    "PrismaCsvError": (1, 400),
    "InconsistentCounts": (1, 400),
    "UnknownPlugin": (1, 404),
    "NotFound": (1, 404),
    "InvalidQuery": (1, 400),
    "Conflict": (1, 409),
    "ProjectExists": (1, 409),
    "AlreadyImported": (1, 409),
    "InvalidTransition": (5, 409),
    "ChangedMeanwhile": (4, 409),
    "LoginRequired": (1, 401),
    "LoginFailed": (1, 401),
    "TooManyAttempts": (6, 429),
    "Forbidden": (7, 403),
    "ConverterUnavailable": (1, 400),
    "SourceError": (1, 502),
    "SourceUnavailable": (1, 502),
    "MalformedResponse": (1, 502),
    "JobCancelled": (1, 409),
    "RunInterrupted": (6, 503),
    "DatabaseError": (3, 503),
    "StorageFull": (1, 507),
}


def test_every_user_error_has_its_documented_exit_code_and_status() -> None:
    tree = errors.__doc__ or ""
    for name in errors.__all__:
        cls = getattr(errors, name)
        if name == "SynthesistError":
            continue
        assert issubclass(cls, UserError), name
        assert name in DOCUMENTED, f"{name} is new: add it to DOCUMENTED and to the tree in errors.py"
        assert (cls.exit_code, cls.http_status) == DOCUMENTED[name], name
        assert f"── {name} " in tree, f"{name} is missing from the tree in the errors.py docstring"
    assert set(DOCUMENTED) == set(errors.__all__) - {"SynthesistError"}
    every_409 = [name for name in errors.__all__ if getattr(errors, name).__dict__.get("http_status") == 409]
    assert every_409 == ["Conflict"], "a 409 is a Conflict: subclass it instead of setting the status"


def test_no_error_class_is_defined_outside_errors_py() -> None:
    """Every exception of the tree lives in errors.py (the PDF reader's child process, for one, finds
    the class it re-raises there by name)."""
    tree_names = set(errors.__all__)
    outside = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                if bases & tree_names:
                    outside.append(f"{path.relative_to(SRC)}: {node.name}")
    assert outside == []


# -- the same three errors through both adapters -------------------------------------------------------


@dataclass
class Raised:
    status: int
    exit_code: int
    message: str
    hint: str | None


def _raised(action: Callable[[], object], expected: type[UserError]) -> Raised:
    with pytest.raises(expected) as caught:
        action()
    error = caught.value
    return Raised(error.http_status, error.exit_code, error.message, error.hint)


@pytest.fixture
def reviewed(workspace: Workspace) -> Iterator[Workspace]:
    export = workspace.project.root / "records.ris"
    export.write_text(ris_text(3), encoding="utf-8")
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    add_user(workspace, "aoife", PASSWORD)
    add_member(workspace, "aoife", Role.OWNER)
    yield workspace


def _three_errors(workspace: Workspace) -> dict[str, Raised]:
    """A 404, a 409 and a 400, each raised by the service code both adapters call."""
    return {
        "404": _raised(lambda: visible_decisions(workspace, 999, "aoife"), NotFound),
        "409": _raised(lambda: add_user(workspace, "aoife", PASSWORD), Conflict),
        "400": _raised(lambda: add_user(workspace, "ingrid", "short"), UserError),
    }


def test_the_cli_prints_message_and_hint_on_stderr_and_the_json_shape_when_asked(
    reviewed: Workspace, runner: CliRunner
) -> None:
    expected = _three_errors(reviewed)
    where = ["--project", str(reviewed.project.root)]
    results = {
        "404": runner.invoke(cli, ["screen", "decisions", "999", "--reviewer", "aoife", "--json", *where]),
        "409": runner.invoke(
            cli, ["users", "add", "aoife", "--password-stdin", *where], input=f"{PASSWORD}\n"
        ),
        "400": runner.invoke(cli, ["users", "add", "ingrid", "--password-stdin", *where], input="short\n"),
    }
    assert [expected[s].status for s in results] == [404, 409, 400]
    for status, result in results.items():
        error = expected[status]
        assert result.exit_code == error.exit_code == 1, (status, result.output)
        hint = f"{error.hint}\n" if error.hint else ""
        assert result.stderr == f"Error: {error.message}\n{hint}", status
    # with --json, stdout carries the web app's shape; without it, nothing
    assert json.loads(results["404"].stdout) == {
        "error": expected["404"].message,
        "hint": expected["404"].hint,
    }
    assert results["409"].stdout == results["400"].stdout == ""


def test_the_web_answers_scripts_with_error_and_hint_as_json_and_browsers_with_the_page(
    reviewed: Workspace,
) -> None:
    expected = _three_errors(reviewed)
    app = create_app(reviewed)
    # the 409 and the 400 come from service calls no page makes in one request; routes added here raise
    # them so the pin is on the one error handler, not on a route's wording
    app.add_api_route("/raise/409", lambda: add_user(reviewed, "aoife", PASSWORD))
    app.add_api_route("/raise/400", lambda: add_user(reviewed, "ingrid", "short"))
    client = TestClient(app, base_url="http://testserver")
    login(client, "aoife")
    key = reviewed.project.key
    urls = {"404": f"/p/{key}/records/999/decisions.json", "409": "/raise/409", "400": "/raise/400"}
    on_the_page = {"409": "exists already", "400": "at least 8"}
    for status, url in urls.items():
        error = expected[status]
        scripted = client.get(url, headers={"Accept": "application/json"})
        assert scripted.status_code == error.status == int(status), (status, scripted.text)
        assert scripted.headers["content-type"] == "application/json"
        assert scripted.json() == {"error": error.message, "hint": error.hint}
        browsed = client.get(url, headers={"Accept": "text/html"})
        if url.endswith(".json"):  # a .json address answers JSON whatever the Accept header says
            assert browsed.json() == scripted.json()
            continue
        assert browsed.status_code == error.status
        assert browsed.headers["content-type"].startswith("text/html")
        assert on_the_page[status] in browsed.text


def test_a_decision_has_one_json_shape_in_every_adapter(reviewed: Workspace, runner: CliRunner) -> None:
    decide(reviewed, 1, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="aoife", note="off topic", labels=["x"])
    undo_decision(reviewed, reviewer="aoife", stage=Stage.TITLE_ABSTRACT)
    decide(reviewed, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
    shape = [decision_json(d) for d in visible_decisions(reviewed, 1, "aoife")]
    assert [set(d) for d in shape] == [
        {
            "decision_id",
            "stage",
            "reviewer",
            "vote",
            "kind",
            "reason",
            "note",
            "labels",
            "participants",
            "decided_at",
            "undone_at",
            "active",
        }
    ] * 2
    assert [(d["note"], d["labels"], d["active"]) for d in shape] == [
        ("off topic", ["x"], False),
        (None, [], True),
    ]

    client = TestClient(create_app(reviewed), base_url="http://testserver")
    login(client, "aoife")
    assert client.get(f"/p/{reviewed.project.key}/records/1/decisions.json").json() == shape
    where = ["--project", str(reviewed.project.root)]
    printed = runner.invoke(cli, ["screen", "decisions", "1", "--reviewer", "aoife", "--json", *where])
    assert json.loads(printed.stdout) == shape
