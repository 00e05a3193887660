"""An appraisal table like the reference review's Table S3: ten qualitative studies appraised with
CASP, rated by the default rules (Table 1) as 2 High, 7 Medium and 1 Low. The studies and their
answers are made up; the rating counts are the review's."""

from __future__ import annotations

from synthesist.appraisal.checklist import find_checklist
from synthesist.reporting.appraisal_table import AppraisalTable, TableColumn, TableGroup, TableRow
from synthesist.review.appraisal_settings import default_rating_rules

ANSWERS = {
    # study: answers to Q1-Q10 (y = Yes, n = No, c = Can't tell)
    "Study A 2005": "yyyyyyyyyy",
    "Study B 2007": "yyyyyyyycy",
    "Study C 2008": "yycyyccyyy",
    "Study D 2009": "yyyyynyyyy",
    "Study E 2010": "yycyynyyyy",
    "Study F 2011": "yyyycnycyy",
    "Study G 2012": "yyycynyyyy",
    "Study H 2012": "yyyyyccyyy",
    "Study I 2013": "yyyycyyycy",
    "Study J with a rather long label that is shortened 2014": "yynnycyyyy",
}
_IDS = {"y": "yes", "n": "no", "c": "cant_tell"}


def reference_like_table() -> AppraisalTable:
    checklist = find_checklist("casp-qualitative").checklist
    rules = default_rating_rules()
    rows = []
    for number, (study, letters) in enumerate(ANSWERS.items(), start=1):
        answers = tuple(_IDS[letter] for letter in letters)
        rating = rules.rate({answer: answers.count(answer) for answer in ("yes", "no", "cant_tell")})
        assert rating is not None
        rows.append(
            TableRow(study, f"S{number}", answers, rating.rating, rating.rule, rating.unstated, "complete")
        )
    columns = tuple(TableColumn(q.id, q.heading, q.text) for q in checklist.questions)
    return AppraisalTable(
        checklist=checklist,
        groups=(TableGroup(None, columns, tuple(rows)),),
        ratings=tuple(rules.ratings),
        rules=rules,
        default_rules=True,
    )
