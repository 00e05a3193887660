"""The event catalogue: every type registered once, in its area's module, listed in the package's public
surface, decoding its own payload, and never renamed (existing databases hold the stored names)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import json
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any

import pytest

import synthesist.events as events
from synthesist.events.base import AREA_MODULES, Event, decode_event, event_types

# Every stored event type with its payload's fields, as released. A type or a field here may never be
# renamed or removed; a new field needs a default (older rows lack it). Add a new event type here.
STORED = {
    "appraisal.answered": (
        "answer_id study_id study checklist question reviewer answer kind comment quote page imported_from"
    ),
    "appraisal.category_chosen": "study_id study checklist category previous",
    "appraisal.resolved": "answer_id study_id study checklist question answer participants answers comment",
    "cerqual.component_assessed": "finding_id number component concern explanation previous suggested",
    "cerqual.confidence_set": "finding_id number confidence explanation previous suggested",
    "cerqual.finding_added": "finding_id number statement themes",
    "cerqual.finding_changed": "finding_id number changes",
    "cerqual.study_corrected": "finding_id number study_id study include note",
    "dedup.merged": "group_id record_ids primary_id note",
    "dedup.pair_decided": "pair_id first second decision group_id note",
    "dedup.primary_changed": "group_id old_primary_id new_primary_id",
    "dedup.run": (
        "run_id scope records_checked candidate_pairs "
        "duplicate_pairs possible_pairs groups_created groups_grown settings"
    ),
    "dedup.split": "group_id record_ids primary_id note",
    "dedup.undone": "group_id member_ids primary_id origin note",
    "extraction.completed": "study_id study reviewer role",
    "extraction.consensus": "study_id study field value values note",
    "extraction.flag_resolved": "flag_id study_id study field resolution value note",
    "extraction.flagged": "flag_id study_id study field note suggested_value",
    "extraction.imported": "file_name file_sha256 reviewer layout studies values",
    "extraction.value_set": "study_id study field reviewer value previous source",
    "fulltext.attached": "report_id record_id file_name stored_path sha256 media_type pages text_status",
    "fulltext.not_retrieved": "failure_id record_id reason",
    "fulltext.not_retrieved_withdrawn": "failure_id record_id reason report_id",
    "fulltext.study_grouped": "study_id label record_ids added created old_label",
    "fulltext.study_ungrouped": "study_id label record_ids dissolved",
    "members.added": "user role previous",
    "site.admin_set": "user admin",
    "site.review_added": "key title folder moved_from users_copied clashes",
    "site.review_created": "key title folder origin",
    "members.removed": "user role",
    "model.link_changed": "link_id source target relation added label",
    "model.loaded": "file sha256 outcomes links replaced_links",
    "job.cancelled": "job_id kind while_running",
    "job.failed": "job_id kind reason",
    "job.finished": "job_id kind summary_text",
    "job.queued": "job_id kind params",
    "job.started": "job_id kind attempt worker",
    "model.outcome_changed": "outcome_id name added description",
    "project.created": "title project_id",
    "project.restored": "backup taken_at synthesist_version",
    "protocol.edited": "section changes sha256",
    "records.imported": (
        "batch_id source file_name file_sha256 format "
        "encoding records rejects searched_on other_method forced"
    ),
    "screening.decided": "decision_id record_id stage reviewer vote kind reason note labels participants",
    "screening.ranked": "model_id stage version model decisions records phase",
    "screening.seed_added": "record_id note",
    "screening.seed_removed": "record_id",
    "screening.stop_recorded": (
        "rule screened pool relevant_found verdict assumes estimated_recall target_recall confidence"
    ),
    "screening.undone": "decision_id record_id stage reviewer vote",
    "search.run_completed": (
        "run_id strategy source kind query searched_on total fetched already_present imported batch_id since"
    ),
    "search.run_interrupted": "run_id source pages reason",
    "synthesis.code_assigned": "code_id code theme_id theme removed",
    "synthesis.code_changed": "code_id name changes",
    "synthesis.code_created": "code_id name definition key_terms",
    "synthesis.code_split": "code_id name new_code_id new_name codings",
    "synthesis.codebook_loaded": "source created updated assigned",
    "synthesis.codes_merged": "code_id name into_id into codings",
    "synthesis.coding_applied": (
        "coding_id document_id code_id code coder start end kind text page origin memo"
    ),
    "synthesis.coding_reanchored": (
        "coding_id document_id code start end previous_start previous_end previous_anchor"
    ),
    "synthesis.coding_removed": "coding_id document_id code coder start end",
    "synthesis.codings_suggested": "document_ids codings method",
    "synthesis.disagreement_resolved": "document_id coders outcome codings code segment note",
    "synthesis.document_added": "document_id study_id study title source sha256 characters report_id pages",
    "synthesis.document_replaced": (
        "document_id title version old_sha256 new_sha256 unchanged reanchored lost"
    ),
    "synthesis.memo_written": "memo_id target target_id about text",
    "synthesis.refi_qda_imported": "file sha256 format themes codes documents codings notes",
    "synthesis.suggestion_decided": "suggestion_id document_id code reviewer accepted coding_id",
    "synthesis.theme_changed": "theme_id name changes",
    "synthesis.theme_created": "theme_id name level parent definition key_terms",
    "users.added": "user",
    "users.display_name_set": "user display_name",
    "users.disabled": "user",
    "users.enabled": "user",
    "users.password_changed": "user",
    "users.email_set": "user cleared",
    "users.reset_link_made": "user invitation_id expires_at",
    "invitations.created": "invitation_id role expires_at emailed",
    "invitations.accepted": "invitation_id user role new_account",
    "invitations.revoked": "invitation_id",
}

BASE_NAMES = ["Event", "LoggedEvent", "decode_event", "event_type", "event_types"]


def _defined_event_classes() -> list[type[Event]]:
    """Every Event subclass defined in an area module (registered or not)."""
    found = []
    for area in AREA_MODULES:
        module = importlib.import_module(f"synthesist.events.{area}")
        found += [
            cls
            for cls in vars(module).values()
            if inspect.isclass(cls) and issubclass(cls, Event) and cls.__module__ == module.__name__
        ]
    return found


def test_every_event_class_is_registered_once_under_its_own_type() -> None:
    classes = _defined_event_classes()
    registered = event_types()
    assert sorted(cls.type for cls in classes) == sorted(set(cls.type for cls in classes))  # no type twice
    assert {cls.type: cls for cls in classes} == registered


def test_stored_types_and_fields_never_change() -> None:
    registered = event_types()
    assert sorted(registered) == sorted(STORED), "a stored event type was renamed, removed or not listed"
    for type_name, names in STORED.items():
        fields = {field.name: field for field in dataclasses.fields(registered[type_name])}
        assert set(names.split()) <= set(fields), f"{type_name}: a payload field was renamed or removed"
        for name in set(fields) - set(names.split()):
            field = fields[name]
            has_default = (
                field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
            )
            assert has_default, f"{type_name}.{name}: a new field needs a default, older rows lack it"


def test_the_public_surface_lists_every_event_in_its_areas_module() -> None:
    area_of: dict[str, str] = events._AREA_OF
    assert events.__all__ == sorted(events.__all__)
    assert events.__all__ == sorted([*BASE_NAMES, *area_of])
    assert tuple(events._EVENTS_BY_AREA) == AREA_MODULES
    for cls in event_types().values():
        assert cls.__module__ == f"synthesist.events.{area_of[cls.__name__]}", cls.__name__
        assert getattr(events, cls.__name__) is cls
    with pytest.raises(AttributeError):
        events.NoSuchEvent  # noqa: B018


def test_the_type_checker_sees_the_same_table_as_the_lazy_imports() -> None:
    """``__getattr__`` types a missing name as Any, so a name left out of the TYPE_CHECKING imports would
    go unchecked everywhere it is imported."""
    tree = ast.parse(Path(events.__file__).read_text(encoding="utf-8"))
    block = next(
        node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    seen = {
        alias.name: node.module.removeprefix("synthesist.events.")
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    assert seen == events._AREA_OF


def _example(annotation: Any) -> Any:
    """A value of the annotated type (two items in a list, so that summaries unpacking pairs work)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        return _example(next(arg for arg in args if arg is not type(None)))
    if origin is list:
        return [_example(args[0]), _example(args[0])]
    if origin is dict:
        return {_example(args[0]): _example(args[1])}
    examples: dict[Any, Any] = {int: 3, str: "text", bool: True, float: 0.5, Any: "text"}
    return examples[annotation]


@pytest.mark.parametrize("type_name", sorted(STORED))
def test_each_event_round_trips_through_its_stored_payload(type_name: str) -> None:
    cls = event_types()[type_name]
    hints = typing.get_type_hints(cls)
    event = cls(**{field.name: _example(hints[field.name]) for field in dataclasses.fields(cls)})
    stored = json.loads(json.dumps(event.payload()))  # storage keeps the payload as JSON
    assert stored == event.payload()
    assert decode_event(type_name, stored) == event
    assert event.summary() and "\n" not in event.summary()


def test_an_unknown_type_decodes_to_none_and_unknown_fields_are_dropped() -> None:
    assert decode_event("no.such_type", {"x": 1}) is None
    assert decode_event(
        "screening.seed_removed", {"record_id": 4, "added_later": True}
    ) == events.ScreeningSeedRemoved(4)


def test_importing_the_package_imports_no_area_module() -> None:
    """Area modules load on first use: an everyday command builds only the event classes it writes."""
    code = "import sys, synthesist.events; print(sorted(m for m in sys.modules if 'events' in m))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['synthesist.events', 'synthesist.events.base']"
