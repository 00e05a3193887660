"""Naming a study on the command line (and later in the web app), and giving it a stored id.

A study can be named by

* its label, e.g. ``"Cooper 2008"`` (compared without case; two studies with one label are
  refused, each listed with its other names);
* ``42``: the study that record 42 is a report of (works for every study, grouped or not);
* ``S3``: the study with id 3 (as ``synthesist fulltext studies`` lists it).

A record that reached full text and was not grouped with others is a study of its own without a
row in ``studies`` (see :func:`synthesist.services.fulltext.reports.list_studies`). Data recorded about a
study (extraction, appraisal) needs an id that stays put, so :func:`stored_study_id` gives such a
study its row, in the caller's transaction and with the same event grouping would write.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from synthesist.errors import NotFound, UserError
from synthesist.events import StudyGrouped
from synthesist.ports import UnitOfWork
from synthesist.services.fulltext.reports import StudyView
from synthesist.workspace import Workspace

__all__ = ["resolve_study", "stored_study_id", "study_ref"]

_STUDY_ID = re.compile(r"^\s*[Ss](\d+)\s*$")


def study_ref(view: StudyView) -> str:
    """The shortest name of a study that keeps working: ``S3``, else its record's id."""
    return f"S{view.study.id}" if view.study.id is not None else str(view.study.record_ids[0])


def resolve_study(views: Sequence[StudyView], reference: str, *, what: str = "included study") -> StudyView:
    """The study among ``views`` that ``reference`` names (label, record id or S + study id)."""
    text = reference.strip()
    if not text:
        raise UserError(f"name the {what}", hint='Give its label ("Cooper 2008"), a record id or S + its id.')
    by_id = _STUDY_ID.match(text)
    if by_id:
        wanted = int(by_id.group(1))
        for view in views:
            if view.study.id == wanted:
                return view
        raise NotFound(f"no {what} S{wanted}", hint=_list_hint())
    if text.isdigit():
        for view in views:
            if int(text) in view.study.record_ids:
                return view
        raise NotFound(f"record {text} is not a report of an {what}", hint=_list_hint())
    key = " ".join(text.split()).casefold()
    matches = [view for view in views if " ".join(view.study.label.split()).casefold() == key]
    if len(matches) == 1:
        return matches[0]
    if matches:
        named = "; ".join(f"{study_ref(v)} (records {_ids(v.study.record_ids)})" for v in matches)
        raise UserError(
            f"{len(matches)} studies are called {text!r}: {named}",
            hint="Name one by its id (S3) or by one of its records.",
        )
    labels = [view.study.label for view in views]
    close = difflib.get_close_matches(text, labels, n=3, cutoff=0.6)
    suggestion = f" (did you mean {', '.join(repr(label) for label in close)}?)" if close else ""
    raise NotFound(f"no {what} called {text!r}{suggestion}", hint=_list_hint())


def stored_study_id(uow: UnitOfWork, workspace: Workspace, view: StudyView) -> int:
    """The study's id, giving a record that is a study of its own a row first (with its event)."""
    if view.study.id is not None:
        return view.study.id
    record_id = view.study.record_ids[0]
    uow.screening.lock_record(record_id)  # two first answers at once create one study, not two
    membership = uow.fulltext.study_membership()
    if record_id in membership:  # grouped since the views were read
        return membership[record_id]
    label = view.study.label
    study_id = uow.fulltext.create_study(label, [record_id], by=workspace.actor)
    uow.events.append(StudyGrouped(study_id, label, [record_id], [record_id], True), workspace.actor)
    return study_id


def _list_hint() -> str:
    return "`synthesist fulltext studies --included` lists the included studies, their labels and ids."


def _ids(record_ids: Sequence[int]) -> str:
    return ", ".join(str(record_id) for record_id in record_ids)
