"""Tables (SQLAlchemy Core), one module per area. The schema itself is created and changed only by
Alembic migrations; these definitions must match the latest migration (a test compares them).

``from synthesist.storage import schema`` then ``schema.records`` reads any table; the areas' modules
all add their tables to the one :data:`metadata`."""

from __future__ import annotations

from synthesist.storage.schema.accounts import login_limits, memberships, users, web_sessions
from synthesist.storage.schema.appraisal import appraisal_answers, appraisal_categories
from synthesist.storage.schema.base import Json, metadata
from synthesist.storage.schema.cerqual import (
    cerqual_assessments,
    cerqual_finding_themes,
    cerqual_findings,
    cerqual_study_overrides,
    concept_model_links,
    concept_model_outcomes,
)
from synthesist.storage.schema.extraction import (
    extraction_consensus,
    extraction_flags,
    extraction_progress,
    extraction_values,
)
from synthesist.storage.schema.fulltext import (
    report_pages,
    reports,
    retrieval_failures,
    studies,
    study_records,
)
from synthesist.storage.schema.records import (
    batches,
    dedup_runs,
    duplicate_groups,
    duplicate_members,
    duplicate_pairs,
    events,
    import_rejects,
    projects,
    records,
    search_runs,
)
from synthesist.storage.schema.screening import screening_decisions, screening_seeds
from synthesist.storage.schema.site import (
    invitations,
    jobs,
    screening_models,
    screening_offers,
    screening_rankings,
)
from synthesist.storage.schema.synthesis import (
    code_history,
    code_themes,
    codes,
    coding_resolutions,
    codings,
    documents,
    memos,
    themes,
)

__all__ = [
    "Json",
    "appraisal_answers",
    "appraisal_categories",
    "batches",
    "cerqual_assessments",
    "cerqual_finding_themes",
    "cerqual_findings",
    "cerqual_study_overrides",
    "code_history",
    "code_themes",
    "codes",
    "coding_resolutions",
    "codings",
    "concept_model_links",
    "concept_model_outcomes",
    "dedup_runs",
    "documents",
    "duplicate_groups",
    "duplicate_members",
    "duplicate_pairs",
    "events",
    "extraction_consensus",
    "extraction_flags",
    "extraction_progress",
    "extraction_values",
    "import_rejects",
    "invitations",
    "jobs",
    "login_limits",
    "memberships",
    "memos",
    "metadata",
    "projects",
    "records",
    "report_pages",
    "reports",
    "retrieval_failures",
    "screening_decisions",
    "screening_models",
    "screening_offers",
    "screening_rankings",
    "screening_seeds",
    "search_runs",
    "studies",
    "study_records",
    "themes",
    "users",
    "web_sessions",
]
