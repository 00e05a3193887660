"""The log shows a coder what the coding page shows them: their own codings, the consensus ones and
the suggestions, never what a colleague's coding says (code, span, words, memo), in every event
that carries it; and a colleague's coding answers as an unknown id does, in the service and the CLI,
so ids cannot be probed. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.errors import NotFound
from synthesist.services.records.reading import read_log
from synthesist.services.synthesis.codes import create_code, merge_codes
from synthesist.services.synthesis.coding import apply_code, remove_coding
from synthesist.services.synthesis.documents import add_document
from synthesist.services.synthesis.log_visibility import HIDDEN
from synthesist.services.synthesis.suggest import accept_suggestion, reject_suggestion
from synthesist.synthesis.model import Coding, Document
from synthesist.workspace import Workspace
from tests.synthesis.coding.conftest import act_as
from tests.synthesis_helpers import FINDINGS

BOBS_WORDS = "Nobody explained what was wrong with my back."
BOBS_MEMO = "bob's private hunch"


@pytest.fixture
def doc(studies: Workspace) -> Document:
    document = add_document(studies, "Cooper 2008", text=FINDINGS)
    for name in ("listened to", "unexplained diagnosis", "left in the dark"):
        create_code(studies, name)
    return document


@pytest.fixture
def bobs(studies: Workspace, doc: Document) -> Coding:
    """alice codes a passage, bob codes another with a memo, then bob's code is merged into another."""
    apply_code(studies, doc.id, "listened to", text="She really listened to me", coder="alice")
    coding = apply_code(
        studies, doc.id, "unexplained diagnosis", text=BOBS_WORDS, kind="quote", coder="bob", memo=BOBS_MEMO
    )
    merge_codes(studies, "unexplained diagnosis", "left in the dark")
    return coding


def _payloads(workspace: Workspace, viewer: str, event_type: str) -> list[dict[str, Any]]:
    return [e.payload for e in read_log(act_as(workspace, viewer)) if e.type == event_type]


def test_a_colleagues_coding_is_hidden_in_the_log_and_ones_own_is_not(
    studies: Workspace, bobs: Coding
) -> None:
    remove_coding(act_as(studies, "bob"), bobs.id)

    for viewer in ("alice", "tester"):  # a fellow coder, and whoever else reads the log
        applied = {p["coder"]: p for p in _payloads(studies, viewer, "synthesis.coding_applied")}
        assert applied["bob"]["code"] == HIDDEN and applied["bob"]["coding_id"] == bobs.id
        assert applied["bob"]["text"] is None and applied["bob"]["memo"] is None
        assert applied["bob"]["start"] is None and applied["bob"]["code_id"] is None
        (removed,) = _payloads(studies, viewer, "synthesis.coding_removed")
        assert removed["code"] == HIDDEN and removed["start"] is None
        (merged,) = _payloads(studies, viewer, "synthesis.codes_merged")
        assert bobs.id not in merged["codings"], "which code bob's coding had is hidden too"
        everything = json.dumps([e.payload for e in read_log(act_as(studies, viewer))])
        assert BOBS_WORDS not in everything and BOBS_MEMO not in everything
    assert applied["alice"]["text"] is None  # to "tester", alice's coding is a colleague's too
    assert _payloads(studies, "alice", "synthesis.coding_applied")[0]["code"] == "listened to"

    own = {p["coder"]: p for p in _payloads(studies, "bob", "synthesis.coding_applied")}
    assert own["bob"]["text"] == BOBS_WORDS and own["bob"]["memo"] == BOBS_MEMO
    assert own["bob"]["code"] == "unexplained diagnosis" and own["alice"]["code"] == HIDDEN
    assert _payloads(studies, "bob", "synthesis.codes_merged")[0]["codings"] == [bobs.id]


def test_an_accepted_suggestion_is_a_coding_of_the_one_who_accepted_it(
    studies: Workspace, doc: Document
) -> None:
    from synthesist.services.synthesis.suggest import suggest

    create_code(studies, "waiting", key_terms="waiting times, appointments")
    offered = suggest(studies, doc.id).suggestions
    assert offered, "the assistant suggests 'waiting' for the last sentence"
    made = accept_suggestion(studies, offered[0].id, reviewer="bob")
    (decided,) = _payloads(studies, "alice", "synthesis.suggestion_decided")
    assert decided["code"] == HIDDEN and decided["coding_id"] == made.id
    assert _payloads(studies, "bob", "synthesis.suggestion_decided")[0]["code"] == "waiting"
    suggested = _payloads(studies, "alice", "synthesis.codings_suggested")
    assert suggested and suggested[0]["codings"], "the suggestions themselves are on everyone's page"


def test_a_colleagues_coding_answers_as_an_unknown_id(studies: Workspace, bobs: Coding) -> None:
    alice = act_as(studies, "alice")
    unknown = bobs.id + 1000
    answers = []
    for action in (
        lambda wanted: remove_coding(alice, wanted),
        lambda wanted: accept_suggestion(alice, wanted),
        lambda wanted: reject_suggestion(alice, wanted),
    ):
        for wanted in (bobs.id, unknown):
            with pytest.raises(NotFound) as refused:
                action(wanted)
            answers.append((refused.value.message.replace(str(wanted), "N"), refused.value.hint))
    assert len(set(answers)) == 1 and answers[0][0] == "no coding N of yours"
    assert remove_coding(act_as(studies, "bob"), bobs.id).id == bobs.id  # bob may take his own off


def test_the_cli_log_and_remove_answer_a_coder_as_the_pages_do(
    studies: Workspace, bobs: Coding, project_dir: Path, runner: CliRunner
) -> None:
    def cli(*args: str) -> Any:
        return runner.invoke(app, [*args, "--project", str(project_dir)])

    shown = cli("log", "--json", "--as", "alice")
    assert shown.exit_code == 0, shown.output
    assert BOBS_MEMO not in shown.output and "unexplained diagnosis" not in _applied(shown.output, "bob")
    assert "listened to" in _applied(shown.output, "alice")
    table = cli("log", "--type", "synthesis.coding_applied", "--as", "alice")
    assert table.exit_code == 0 and "unexplained" not in table.output and "hidden" in table.output
    assert "unexplained diagnosis" in _applied(cli("log", "--json", "--as", "bob").output, "bob")

    others = cli("code", "remove", f"C{bobs.id}", "--as", "alice")
    unknown = cli("code", "remove", f"C{bobs.id + 1000}", "--as", "alice")
    assert others.exit_code == unknown.exit_code != 0
    assert others.output.replace(str(bobs.id), "N") == unknown.output.replace(str(bobs.id + 1000), "N")
    assert "no coding" in others.output and "bob" not in others.output


def _applied(log_json: str, coder: str) -> str:
    events = json.loads(log_json)
    return json.dumps(
        [
            e["payload"]
            for e in events
            if e["type"] == "synthesis.coding_applied" and e["payload"]["coder"] == coder
        ]
    )
