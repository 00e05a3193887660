"""Appraisal: answering in each mode, checks, blind dual appraisal, consensus, agreement, categories,
CSV import, rule problems named by line, and bad input that leaves nothing written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from synthesist.appraisal.model import AnswerKind, QuestionStatus, StudyStatus
from synthesist.errors import InvalidRecordError, InvalidTransition, NotFound, ProtocolError, UserError
from synthesist.review.project import find_project
from synthesist.screening.model import Stage, Vote
from synthesist.services.appraisal.answers import (
    GivenAnswer,
    answer_question,
    answer_questions,
    choose_category,
    resolve_question,
    verify_study,
)
from synthesist.services.appraisal.csv_import import import_answers
from synthesist.services.appraisal.views import (
    appraisal_agreement,
    appraisal_conflicts,
    appraisal_overview,
    appraisal_table,
    study_detail,
)
from synthesist.services.fulltext.reports import group_study, list_studies
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.services.screening.decisions import decide
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text

Opener = Callable[[str], Workspace]
MEDIUM = ["y", "y", "c", "y", "y", "n", "y", "y", "y", "y"]  # 1 No + 1 Can't tell: Medium
HIGH = ["y"] * 10


@pytest.fixture
def open_project(tmp_path: Path, database_url: str | None) -> Iterator[Opener]:
    """A project of four records, 1-3 included at full text (studies "Cooper 2001" to "Cooper
    2003"), with the given [appraisal] section."""
    opened: list[Workspace] = []

    def opener(appraisal: str) -> Workspace:
        folder = tmp_path / f"review-{len(opened)}"
        init_project(folder, "Appraisal test").close()
        path = folder / "review.toml"
        text = path.read_text(encoding="utf-8")
        start, end = text.index("[appraisal]"), text.index("[synthesis]")
        path.write_text(text[:start] + appraisal.strip() + "\n\n\n" + text[end:], encoding="utf-8")
        workspace = open_workspace(find_project(folder), actor="tester")
        opened.append(workspace)
        export = folder / "records.ris"
        export.write_text(ris_text(4), encoding="utf-8")
        import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
        with workspace.unit_of_work(write=False) as uow:
            record_ids = uow.records.ids()[:3]  # on PostgreSQL projects share the id sequence
        for record_id in record_ids:
            decide(workspace, record_id, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="tester")
            decide(workspace, record_id, Stage.FULL_TEXT, Vote.INCLUDE, reviewer="tester")
        return workspace

    yield opener
    for workspace in opened:
        workspace.close()


def answer_all(ws: Workspace, study: str, answers: list[str], reviewer: str) -> None:
    for number, answer in enumerate(answers, start=1):
        answer_question(ws, study, str(number), answer, reviewer=reviewer)


def counts(ws: Workspace) -> tuple[int, int, int]:
    """(answers, events, stored studies): what a refused write must leave as it was."""
    with ws.unit_of_work(write=False) as uow:
        answers = len(uow.appraisal.answers("casp-qualitative")) + len(uow.appraisal.answers("mmat-2018"))
        return answers, len(uow.events.list()), len(uow.fulltext.studies())


def test_single_appraisal_rates_each_study_by_table_1_and_logs_every_answer(open_project: Opener) -> None:
    ws = open_project('[appraisal]\ntool = "casp-qualitative"\n')
    answer_all(ws, "Cooper 2001", MEDIUM, "alice")
    answer_all(ws, "2", HIGH, "alice")  # a record id names its study
    result = answer_question(
        ws, "S1", "Q6", "cant_tell", reviewer="alice", comment="some", quote="we", page=4
    )
    assert (result.kind, result.question_status, result.study_status) == (
        AnswerKind.APPRAISE,
        QuestionStatus.FINAL,
        StudyStatus.COMPLETE,
    )

    view = appraisal_overview(ws)
    ratings = {s.label: (s.rating.rating if s.rating else None, s.appraisal.status) for s in view.studies}
    assert ratings == {
        "Cooper 2001": ("Medium", StudyStatus.COMPLETE),  # now 2 Can't tell + 8 Yes
        "Cooper 2002": ("High", StudyStatus.COMPLETE),
        "Cooper 2003": (None, StudyStatus.NOT_STARTED),
    }
    assert view.rating_counts() == {"High": 1, "Medium": 1, "Low": 0, "not rated": 1}
    assert view.rule_problems == []

    events = [e for e in read_log(ws) if e.type == "appraisal.answered"]
    assert len(events) == 21
    assert events[-1].payload | {"answer_id": 0} == {
        "answer_id": 0, "study_id": 1, "study": "Cooper 2001", "checklist": "casp-qualitative",
        "question": "6", "reviewer": "alice", "answer": "cant_tell", "kind": "appraise",
        "comment": "some", "quote": "we", "page": 4, "imported_from": None,
    }  # fmt: skip
    assert [e.type for e in read_log(ws)].count("fulltext.study_grouped") == 2, "lone records got a study row"
    shown = study_detail(ws, "Cooper 2001", "bob").answers["6"]
    assert [(a.answer, a.comment) for a in shown] == [("cant_tell", "some")], "the latest answer per reviewer"


def test_single_verified_a_check_confirms_or_flags_and_consensus_settles(open_project: Opener) -> None:
    ws = open_project('[appraisal]\ntool = "casp-qualitative"\nmode = "single-verified"\n')
    answer_all(ws, "Cooper 2001", MEDIUM, "alice")
    assert appraisal_overview(ws).studies[0].appraisal.status is StudyStatus.AWAITING_CHECK
    answer_question(ws, "Cooper 2002", "1", "yes", reviewer="alice")
    with pytest.raises(InvalidTransition, match="question 2: alice has not answered it yet"):
        answer_question(ws, "Cooper 2002", "2", "yes", reviewer="bob")
    with pytest.raises(UserError, match="alice appraised 'Cooper 2001'; a second reviewer checks it"):
        verify_study(ws, "Cooper 2001", reviewer="alice")

    checked = verify_study(ws, "Cooper 2001", reviewer="bob", flags={"Q6": "cant_tell"}, comment="p. 4")
    assert len(checked) == 10 and {r.kind for r in checked} == {AnswerKind.VERIFY}
    assert checked[-1].study_status is StudyStatus.CONFLICT
    with pytest.raises(UserError, match="nothing of 'Cooper 2001' waits for a check"):
        verify_study(ws, "Cooper 2001", reviewer="bob")

    [conflict] = appraisal_conflicts(ws)
    assert conflict.question.id == "6"
    assert [(a.reviewer, a.answer, a.comment) for a in conflict.state.compared] == [
        ("alice", "no", None),
        ("bob", "cant_tell", "p. 4"),
    ]
    [pair] = appraisal_agreement(ws)
    assert pair.reviewers == ("alice", "bob") and pair.agreement.n == 10 and pair.agreement.observed == 0.9

    with pytest.raises(InvalidTransition, match="question 1 is not in conflict"):
        resolve_question(ws, "Cooper 2001", "1", "yes", participants=["alice", "bob"])
    with pytest.raises(UserError, match="people who took part"):
        resolve_question(ws, "Cooper 2001", "6", "no", participants=["alice"])
    settled = resolve_question(ws, "Cooper 2001", "6", "no", participants=["alice", "bob"], comment="met")
    assert settled.kind is AnswerKind.CONSENSUS and settled.study_status is StudyStatus.COMPLETE
    [study] = [s for s in appraisal_overview(ws).studies if s.label == "Cooper 2001"]
    assert study.rating is not None and study.rating.rating == "Medium"
    [pair] = appraisal_agreement(ws)
    assert (pair.agreement.n, pair.agreement.observed) == (10, 0.9), "measured before the consensus"
    [event] = [e.payload for e in read_log(ws) if e.type == "appraisal.resolved"]
    assert event["participants"] == ["alice", "bob"] and event["answers"] == {
        "alice": "no",
        "bob": "cant_tell",
    }
    with pytest.raises(InvalidTransition, match="settled by consensus"):
        answer_question(ws, "Cooper 2001", "6", "yes", reviewer="alice")


def test_dual_appraisal_is_blind_everywhere_until_both_are_complete(open_project: Opener) -> None:
    ws = open_project('[appraisal]\ntool = "casp-qualitative"\nmode = "dual"\n')
    answer_all(ws, "Cooper 2001", MEDIUM, "alice")
    answer_all(ws, "Cooper 2001", MEDIUM[:9], "bob")
    bob_view = study_detail(ws, "Cooper 2001", "bob")
    assert bob_view.blind and {a.reviewer for answers in bob_view.answers.values() for a in answers} == {
        "bob"
    }
    bob_log = [e for e in read_log(_as(ws, "bob")) if e.type == "appraisal.answered"]
    hidden = [e.payload["answer"] for e in bob_log if e.payload["reviewer"] == "alice"]
    assert hidden == ["hidden (blind appraisal)"] * 10
    assert appraisal_conflicts(ws) == [] and appraisal_agreement(ws) == []
    with pytest.raises(InvalidTransition, match="appraised by alice and bob"):
        answer_question(ws, "Cooper 2001", "1", "yes", reviewer="carol")

    answer_question(ws, "Cooper 2001", "10", "no", reviewer="bob")  # both complete: now compared
    assert not study_detail(ws, "Cooper 2001", "bob").blind
    bob_log = [e for e in read_log(_as(ws, "bob")) if e.type == "appraisal.answered"]
    assert "hidden (blind appraisal)" not in [e.payload["answer"] for e in bob_log]
    [conflict] = appraisal_conflicts(ws)
    assert conflict.question.id == "10"
    [pair] = appraisal_agreement(ws)
    assert (pair.agreement.n, pair.studies) == (10, 1) and pair.agreement.kappa is not None
    resolve_question(ws, "Cooper 2001", "Q10", "yes", participants=["alice", "bob", "carol"])
    assert appraisal_overview(ws).studies[0].rating.rating == "Medium"  # type: ignore[union-attr]


def test_dual_answers_are_fixed_once_compared_and_simultaneous_appraisers_take_turns(
    open_project: Opener,
) -> None:
    import threading
    from contextlib import closing

    ws = open_project('[appraisal]\ntool = "casp-qualitative"\nmode = "dual"\n')
    answer_all(ws, "Cooper 2001", MEDIUM, "alice")
    answer_all(ws, "Cooper 2001", HIGH, "bob")  # compared now: question 3 and 6 differ
    before = appraisal_conflicts(ws)
    with pytest.raises(InvalidTransition, match=r"you have seen alice's answers.*question 6"):
        answer_question(ws, "Cooper 2001", "6", "no", reviewer="bob")
    assert appraisal_conflicts(ws) == before, "the conflict stays until a consensus"

    # three appraisers start a study at the same moment: two are taken, the third is refused
    barrier, outcomes = threading.Barrier(3), {}

    def first_answer(name: str) -> None:
        with closing(open_workspace(find_project(ws.project.root), actor="tester")) as own:
            barrier.wait()
            try:
                answer_question(own, "Cooper 2002", "1", "yes", reviewer=name)
                outcomes[name] = "taken"
            except InvalidTransition:
                outcomes[name] = "refused"

    threads = [threading.Thread(target=first_answer, args=(name,)) for name in ("alice", "bob", "carol")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["refused", "taken", "taken"]


def _as(ws: Workspace, actor: str) -> Workspace:
    return Workspace(ws.project, ws.storage, actor)


@pytest.mark.parametrize(
    ("study", "question", "answer", "error", "message"),
    [
        ("Cooper 2001", "3", "maybe", UserError,
         "study 'Cooper 2001', question 3: 'maybe' is not an answer of CASP Qualitative Studies Checklist"),
        ("Cooper 2001", "11", "yes", UserError, "study 'Cooper 2001', question 11: casp-qualitative has no "
         "question '11'"),
        ("Cooper 1999", "1", "yes", NotFound, "no included study called 'Cooper 1999'"),
        ("4", "1", "yes", NotFound, "record 4 is not a report of an included study"),
        ("S9", "1", "yes", NotFound, "no included study S9"),
    ],
)  # fmt: skip
def test_bad_input_names_the_study_and_question_and_writes_nothing(
    open_project: Opener, study: str, question: str, answer: str, error: type[Exception], message: str
) -> None:
    ws = open_project('[appraisal]\ntool = "casp-qualitative"\n')
    before = counts(ws)
    with pytest.raises(error) as caught:
        answer_question(ws, study, question, answer, reviewer="alice")
    assert message in str(caught.value)
    assert counts(ws) == before


def test_only_the_listed_reviewers_appraise(open_project: Opener) -> None:
    ws = open_project('[appraisal]\ntool = "casp-qualitative"\nreviewers = ["alice", "bob"]\n')
    with pytest.raises(UserError, match="'mallory' is not an appraisal reviewer"):
        answer_question(ws, "Cooper 2001", "1", "yes", reviewer="mallory")
    assert counts(ws)[0] == 0


def test_a_csv_import_is_all_or_nothing_and_names_the_bad_line(open_project: Opener, tmp_path: Path) -> None:
    ws = open_project('[appraisal]\ntool = "casp-qualitative"\n')
    sheet = tmp_path / "answers.csv"
    good = [f"Cooper 2001,{n},{a},,," for n, a in enumerate(MEDIUM, start=1)]
    sheet.write_text(
        "Study,Question,Answer,Comment,Quote,Page\n" + "\n".join(good) + "\nCooper 2002,Q3,maybe,,,\n",
        encoding="utf-8",
    )
    before = counts(ws)
    with pytest.raises(InvalidRecordError) as caught:
        import_answers(ws, sheet, reviewer="alice")
    assert str(caught.value).startswith(
        "answers.csv:12: study 'Cooper 2002', question 3: 'maybe' is not an answer of CASP Qualitative"
    )
    assert counts(ws) == before, "no answer, no event, no study row"

    sheet.write_text(sheet.read_text().replace("maybe", "CT") + '"Cooper 2002",4,Yes,"good, clear",,\n')
    result = import_answers(ws, sheet, reviewer="alice")
    assert len(result.answers) == 12 and result.studies == ["Cooper 2001", "Cooper 2002"]
    answered = [e.payload for e in read_log(ws) if e.type == "appraisal.answered"]
    [event] = [e for e in answered if (e["study"], e["question"]) == ("Cooper 2002", "4")]
    assert (event["comment"], event["imported_from"]) == ("good, clear", "answers.csv")

    for text, line, message in (
        ("study,answer\n", 1, "no 'question' column"),
        ("study,question,answer,score\n", 1, "unknown column 'score'"),
        ("study,question,answer\nCooper 2003,1,\n", 2, "the answer is empty"),
        ("study,question,answer,page\nCooper 2003,1,yes,iv\n", 2, "page 'iv' is not a page number"),
        ("study,question,answer\nCooper 2003,1,yes\nCooper 2003,Q1,no\n", 3,
         "answered twice for alice \\(also on line 2\\)"),
    ):  # fmt: skip
        sheet.write_text(text, encoding="utf-8")
        with pytest.raises(InvalidRecordError, match=f"answers.csv:{line}: .*{message}"):
            import_answers(ws, sheet, reviewer="alice")


def test_mmat_appraises_each_study_in_its_category(open_project: Opener) -> None:
    ws = open_project('[appraisal]\ntool = "mmat-2018"\n')
    assert appraisal_overview(ws).studies[0].appraisal.status is StudyStatus.NEEDS_CATEGORY
    with pytest.raises(
        UserError, match="choose the study's Mixed Methods Appraisal Tool \\(MMAT\\) category"
    ):
        answer_question(ws, "Cooper 2001", "1.1", "yes", reviewer="alice")
    answer_question(ws, "Cooper 2001", "S1", "yes", reviewer="alice")  # screening questions need none
    assert choose_category(ws, "Cooper 2001", "qualitative").previous is None
    for question in ("S2", "1.1", "1.2", "1.3", "1.4"):
        answer_question(ws, "Cooper 2001", question, "yes", reviewer="alice")
    answer_question(ws, "Cooper 2001", "1.5", "cant_tell", reviewer="alice")
    with pytest.raises(
        UserError, match=r"is in '2\. Quantitative randomised controlled trials', but the study"
    ):
        answer_question(ws, "Cooper 2001", "2.1", "yes", reviewer="alice")
    [study] = [s for s in appraisal_overview(ws).studies if s.label == "Cooper 2001"]
    assert study.rating is not None and study.rating.rating == "High"  # 4 Yes + 1 Can't tell of 5 rated
    assert study.counts == {"yes": 4, "no": 0, "cant_tell": 1}, "the screening questions are not rated"

    changed = choose_category(ws, "Cooper 2001", "rct")
    assert (changed.previous, changed.category, changed.set_aside) == ("qualitative", "rct", 5)
    [study] = [s for s in appraisal_overview(ws).studies if s.label == "Cooper 2001"]
    assert study.appraisal.status is StudyStatus.IN_PROGRESS and study.rating is None
    table = appraisal_table(ws)
    assert [g.title for g in table.groups] == ["2. Quantitative randomised controlled trials", "Category not "
                                               "chosen yet"]  # fmt: skip


GAP = """[appraisal]
tool = "casp-qualitative"

[[appraisal.rating_rules]]
rating = "High"
when = [{ no = 0, cant_tell = "0..1" }]

[[appraisal.rating_rules]]
rating = "Low"
when = [{ no = "1.." }, { cant_tell = "3.." }]
"""


def test_rules_that_leave_a_gap_or_disagree_stop_the_table_naming_the_line(open_project: Opener) -> None:
    ws = open_project(GAP)
    answer_all(ws, "Cooper 2001", HIGH, "alice")
    view = appraisal_overview(ws)
    assert view.studies[0].rating is None and len(view.rule_problems) == 1
    with pytest.raises(ProtocolError) as caught:
        appraisal_table(ws)
    line = next(n for n, text in enumerate(ws.project.protocol_path.read_text().splitlines(), 1)
                if text == "[[appraisal.rating_rules]]")  # fmt: skip
    assert str(caught.value).startswith(
        f"review.toml:{line}: 1 of the 66 combinations of answers to 10 rated questions get no rating "
        "from any rule: 8 Yes + 2 Can't tell; add a rule that covers them"
    )

    overlap = open_project(GAP.replace('"3.."', '"2.."').replace('"0..1"', '"0..2"'))
    with pytest.raises(ProtocolError) as caught:
        appraisal_table(overlap)
    assert (
        "are rated differently by two rules: 8 Yes + 2 Can't tell (rule 1: High, rule 2: Low); make the "
        + ("rules exclusive, or set ordered = true")
        in str(caught.value)
    )
    ordered = open_project(GAP.replace('"3.."', '"2.."').replace('"0..1"', '"0..2"').replace(
        'tool = "casp-qualitative"', 'tool = "casp-qualitative"\nordered = true'))  # fmt: skip
    answer_all(ordered, "Cooper 2001", ["c", "c", *HIGH[2:]], "alice")
    assert appraisal_table(ordered).rows[0].rating == "High", "the first matching rule wins"


def test_the_default_rules_do_not_fit_a_checklist_without_cant_tell(open_project: Opener) -> None:
    ws = open_project('[appraisal]\ntool = "jbi-qualitative"\n')
    with pytest.raises(ProtocolError) as caught:
        appraisal_table(ws)
    assert 'the default rating rules count "cant_tell", which is not an answer of jbi-qualitative' in str(
        caught.value
    )
    assert caught.value.hint and "Write [[appraisal.rating_rules]] for it" in caught.value.hint
    answer_question(ws, "Cooper 2001", "1", "not applicable", reviewer="alice")  # answering still works


def test_a_grouped_study_is_appraised_once_under_its_id(open_project: Opener) -> None:
    ws = open_project('[appraisal]\ntool = "casp-qualitative"\n')
    study = group_study(ws, [1, 2], label="Cooper trial")
    answer_question(ws, "2", "1", "yes", reviewer="alice")  # a record of the study names the study
    answer_question(ws, f"S{study.id}", "2", "yes", reviewer="alice")
    answer_question(ws, "cooper trial", "3", "yes", reviewer="alice")
    [found] = [s for s in appraisal_overview(ws).studies if s.label == "Cooper trial"]
    assert found.appraisal.final_answers() == {"1": "yes", "2": "yes", "3": "yes"}
    assert len(list_studies(ws, included_only=True)) == 2


def test_included_studies_export_carries_each_rating(open_project: Opener) -> None:
    import csv
    import io

    from synthesist.services.extraction.table import export_included_studies

    ws = open_project('[appraisal]\ntool = "casp-qualitative"\n')
    answer_all(ws, "Cooper 2001", HIGH, "tester")
    answer_all(ws, "Cooper 2002", MEDIUM, "tester")
    out = io.StringIO()
    export_included_studies(ws, out)
    rows = {row["study"]: row["appraisal_rating"] for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows == {"Cooper 2001": "High", "Cooper 2002": "Medium", "Cooper 2003": ""}


def test_a_checklist_saved_at_once_is_written_whole_or_not_at_all(open_project: Opener) -> None:
    ws = open_project('[appraisal]\ntool = "casp-qualitative"\n')
    before = counts(ws)
    given = [GivenAnswer("1", "yes"), GivenAnswer("2", "no", comment="small"), GivenAnswer("11", "yes")]
    with pytest.raises(UserError, match="has no question '11'"):
        answer_questions(ws, "Cooper 2001", given, reviewer="alice")
    assert counts(ws) == before  # the two good answers were not kept either
    results = answer_questions(ws, "Cooper 2001", given[:2], reviewer="alice")
    assert [r.answer.id for r in results] == ["yes", "no"]
    assert counts(ws)[0] == before[0] + 2
