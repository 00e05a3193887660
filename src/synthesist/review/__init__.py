"""The review project's protocol (``review.toml``): its schema, template and error reporting."""

from synthesist.review.protocol import (
    SCHEMA_VERSION,
    AppraisalSection,
    CodebookSection,
    CriteriaSection,
    DatabaseSearched,
    ExtractionField,
    ExtractionSection,
    Protocol,
    ReviewSection,
    ScreeningSection,
    ScreeningStage,
    SearchSection,
    SynthesisSection,
    Theme,
    load_protocol,
    render_template,
)

__all__ = [
    "SCHEMA_VERSION",
    "AppraisalSection",
    "CodebookSection",
    "CriteriaSection",
    "DatabaseSearched",
    "ExtractionField",
    "ExtractionSection",
    "Protocol",
    "ReviewSection",
    "ScreeningSection",
    "ScreeningStage",
    "SearchSection",
    "SynthesisSection",
    "Theme",
    "load_protocol",
    "render_template",
]
