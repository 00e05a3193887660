"""Critical appraisal: checklists as data files, rating rules over answer counts, and where each
study's appraisal stands in its mode (pure; ``synthesist.services.appraisal.answers*`` store and show it)."""

import importlib
from typing import TYPE_CHECKING, Any

# The names below are imported from their modules on first use (``__getattr__``): the protocol needs
# only ``rules`` to read ``[appraisal]``, and every command that opens a project should not build the
# checklist models as well (~25 ms at start).
_MODULE_OF = {
    "AnswerOption": "checklist",
    "Checklist": "checklist",
    "ChecklistSection": "checklist",
    "LoadedChecklist": "checklist",
    "Question": "checklist",
    "find_checklist": "checklist",
    "load_checklists": "checklist",
    "parse_checklist": "checklist",
    "AnswerKind": "model",
    "AppraisalMode": "model",
    "NewAnswer": "model",
    "QuestionStatus": "model",
    "StoredAnswer": "model",
    "StudyCategory": "model",
    "StudyStatus": "model",
    "Condition": "rules",
    "CountRange": "rules",
    "Coverage": "rules",
    "Rating": "rules",
    "RatingRule": "rules",
    "RuleSet": "rules",
    "check_rules": "rules",
    "combinations": "rules",
    "StudyAppraisal": "status",
    "derive": "status",
    "waiting_questions": "status",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = globals()[name] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return found


if TYPE_CHECKING:
    from synthesist.appraisal.checklist import (
        AnswerOption,
        Checklist,
        ChecklistSection,
        LoadedChecklist,
        Question,
        find_checklist,
        load_checklists,
        parse_checklist,
    )
    from synthesist.appraisal.model import (
        AnswerKind,
        AppraisalMode,
        NewAnswer,
        QuestionStatus,
        StoredAnswer,
        StudyCategory,
        StudyStatus,
    )
    from synthesist.appraisal.rules import (
        Condition,
        CountRange,
        Coverage,
        Rating,
        RatingRule,
        RuleSet,
        check_rules,
        combinations,
    )
    from synthesist.appraisal.status import StudyAppraisal, derive, waiting_questions

__all__ = [
    "AnswerKind",
    "AnswerOption",
    "AppraisalMode",
    "Checklist",
    "ChecklistSection",
    "Condition",
    "CountRange",
    "Coverage",
    "LoadedChecklist",
    "NewAnswer",
    "Question",
    "QuestionStatus",
    "Rating",
    "RatingRule",
    "RuleSet",
    "StoredAnswer",
    "StudyAppraisal",
    "StudyCategory",
    "StudyStatus",
    "check_rules",
    "combinations",
    "derive",
    "find_checklist",
    "load_checklists",
    "parse_checklist",
    "waiting_questions",
]
