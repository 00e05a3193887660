"""The worked example's synthesis (see :mod:`synthesist.services.demo.build`): the codebook, one findings
document per included study with its coded excerpts, the theme × study matrix checked against the
reference review's Table 2, the conceptual model, and one illustrative GRADE-CERQual finding per theme.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from synthesist.demo import data_text
from synthesist.errors import UserError
from synthesist.services.cerqual.concept_model import load_model
from synthesist.services.cerqual.findings import add_finding, assess_component, set_confidence
from synthesist.services.synthesis.codebook import load_codebook
from synthesist.services.synthesis.coding import apply_code
from synthesist.services.synthesis.documents import add_document
from synthesist.services.synthesis.outputs import synthesis_matrix
from synthesist.workspace import Workspace

__all__ = ["add_cerqual", "add_coding", "check_matrix"]

CODER = "Aoife Brennan"  # illustrative, the first reviewer
_QUOTE_NOTE = "quotes marked (illustrative paraphrase) are not the participants' words"


def add_coding(workspace: Workspace, studies: list[dict[str, Any]]) -> None:
    """Load the codebook, then add each study's findings (our paraphrase of what the review says it
    contributed) and code each excerpt with its code, as a quote or an interpretation."""
    load_codebook(workspace)
    for study in studies:
        excerpts = study["excerpts"]
        text = "\n".join(excerpt["text"] for excerpt in excerpts)
        title = f"{study['label']}: findings as the review reports them (paraphrased; {_QUOTE_NOTE})"
        document = add_document(workspace, study["label"], text=text, title=title)
        for excerpt in excerpts:
            apply_code(
                workspace,
                document.id,
                excerpt["code"],
                text=excerpt["text"],
                kind=excerpt["kind"],
                coder=CODER,
                memo="illustrative paraphrase" if excerpt["kind"] == "quote" else "",
            )


def check_matrix(workspace: Workspace, assignments: dict[str, Any]) -> dict[str, list[str]]:
    """The matrix from the coding must be Table 2: each theme in the studies its section cites."""
    matrix = synthesis_matrix(workspace)
    labels = {study.id: study.label for study in matrix.studies}
    found = {
        column.theme.name: sorted(labels[study_id] for study_id in column.studies)
        for column in matrix.columns
    }
    expected = {theme["name"]: sorted(theme["studies"]) for theme in assignments["themes"]}
    if found != expected:
        wrong = sorted(name for name in expected if found.get(name) != expected[name])
        raise UserError(
            f"demo: the theme × study matrix differs from the review's Table 2 for {', '.join(wrong)}"
        )
    return found


# Illustrative judgements: the review did not apply GRADE-CERQual. Coherence and relevance are the
# same for every finding (all studies in chronic back pain care, the themes consistent across
# studies); adequacy is more concerning where fewer studies contribute.
_STATEMENTS = {
    "Effective communication": "Effective communication, listening above all, is the foundation of "
    "patient–professional partnership in chronic back pain care.",
    "Mutual understanding": "Patients and professionals need to understand each other's view of the pain "
    "and of its management; being understood builds trust.",
    "Roles of health professionals": "Patients look to professionals for encouragement, motivation and "
    "emotional support as well as treatment.",
    "Information delivery": "Clear explanations of diagnosis, prognosis and self-management skills help "
    "patients manage their pain.",
    "Patient involvement": "Being involved in decisions lets patients share responsibility for managing "
    "their pain.",
    "Individualised care": "Patients want treatment and self-management advice fitted to their needs and "
    "circumstances.",
    "Healthcare service": "Access, consultation time and follow-up shape the support patients receive.",
}
_ILLUSTRATIVE = "Illustrative judgement (the review did not apply CERQual): "


def add_cerqual(workspace: Workspace, folder: Path) -> None:
    """The conceptual model from the package's model file, then one CERQual finding per theme."""
    with tempfile.TemporaryDirectory() as scratch:
        model = Path(scratch) / "model.toml"
        model.write_text(data_text("model.toml"), encoding="utf-8")
        load_model(workspace, model)
    for theme, statement in _STATEMENTS.items():
        finding = add_finding(workspace, statement, [theme])
        reference = finding.finding.number
        studies = len(finding.studies)
        assess_component(workspace, reference, "methodological-limitations", "suggested")
        assess_component(
            workspace, reference, "coherence", "minor",
            _ILLUSTRATIVE + "the data fit the finding across studies, with some variation in emphasis.",
        )  # fmt: skip
        adequacy = "minor" if studies >= 6 else "moderate"
        assess_component(
            workspace, reference, "adequacy", adequacy,
            _ILLUSTRATIVE + f"{studies} of 10 studies contribute, with small samples (11–34 participants).",
        )  # fmt: skip
        assess_component(
            workspace, reference, "relevance", "none",
            _ILLUSTRATIVE + "every study concerns chronic back or musculoskeletal pain care.",
        )  # fmt: skip
        set_confidence(
            workspace,
            reference,
            "suggested",
            _ILLUSTRATIVE + "the confidence Synthesist suggests from the components.",
        )
