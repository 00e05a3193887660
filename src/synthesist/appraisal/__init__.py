"""Critical appraisal: checklists as data files, rating rules over answer counts, and where each
study's appraisal stands in its mode (pure; ``synthesist.services.appraisal*`` store and show it)."""

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
