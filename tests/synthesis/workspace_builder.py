"""A project that reproduces the reference review's synthesis through the services: the 10
included studies (records imported and included at both stages), the seven analytical themes with
Table 2's key terms, a descriptive theme under each and a code under that, a findings document per
study and one coding per (study, theme) of tests/data/reference_theme_assignments.toml.
Optionally the studies are appraised with CASP: 2 High, 7 Medium and 1 Low, as the review reports
(which study had which rating is illustrative: Cooper 2008 and Slade 2009 High, May 2007 Low)."""

from __future__ import annotations

from pathlib import Path

from synthesist.review.project import find_project
from synthesist.screening.model import Stage, Vote
from synthesist.services.appraisal.answers import answer_question
from synthesist.services.extraction.values import set_value
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide
from synthesist.services.synthesis.codes import create_code
from synthesist.services.synthesis.coding import apply_code
from synthesist.services.synthesis.documents import add_document
from synthesist.services.synthesis.themes import create_theme
from synthesist.synthesis.model import SpanKind, ThemeLevel
from synthesist.workspace import Workspace, open_workspace
from tests.synthesis.reference import finding_text, load_reference

AUTHORS = {
    "Jeffrey 2012": ["Jeffrey, J. E.", "Foster, N. E."],
    "Matthias 2010": ["Matthias, M. S.", "Bair, M. J."],
    "Matthias 2012": ["Matthias, M. S.", "Miech, E. J."],
    "Cooper 2008": ["Cooper, K.", "Smith, B. H."],
    "Cooper 2009": ["Cooper, K.", "Smith, B. H."],
    "Östlund 2001": ["Östlund, G.", "Cedersund, E."],
    "Slade 2009": ["Slade, S. C.", "Molloy, E."],
    "May 2001": ["May, S."],
    "MacKichan 2013": ["MacKichan, F.", "Adamson, J."],
    "May 2007": ["May, S."],
}
HIGH, MEDIUM, LOW = ["y"] * 10, ["y", "y", "c", "y", "y", "n", "y", "y", "y", "y"], ["n", "n"] + ["y"] * 8
RATED = {"Cooper 2008": HIGH, "Slade 2009": HIGH, "May 2007": LOW}
PARTICIPANTS = {"Cooper 2008": 25, "Slade 2009": 18, "May 2007": 34, "Jeffrey 2012": 11}


def _ris(label: str, index: int) -> str:
    year = label.rsplit(" ", 1)[1]
    authors = "".join(f"AU  - {name}\n" for name in AUTHORS[label])
    return f"TY  - JOUR\n{authors}TI  - Study {index}: partnership in back pain\nPY  - {year}\nER  - \n"


def reference_workspace(
    folder: Path, *, code: bool = True, appraise: bool = False, participants: bool = False
) -> Workspace:
    reference = load_reference()
    init_project(folder, "Reference synthesis").close()
    path = folder / "review.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('# tool = "casp-qualitative"', 'tool = "casp-qualitative"', 1)
    if participants:
        start = text.index("[appraisal]")
        form = (
            '[[extraction.fields]]\nname = "participants"\nlabel = "Participants"\n'
            'type = "participant_counts"\ngroups = ["patients", "health professionals"]\n\n'
        )
        text = text[:start] + form + text[start:]
    path.write_text(text, encoding="utf-8")
    workspace = open_workspace(find_project(folder), actor="aoife")
    export = folder / "included.ris"
    export.write_text(
        "\n".join(_ris(label, i) for i, label in enumerate(reference.studies)), encoding="utf-8"
    )
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    with workspace.unit_of_work(write=False) as uow:
        record_ids = uow.records.ids()
    for record_id in record_ids:
        decide(workspace, record_id, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
        decide(workspace, record_id, Stage.FULL_TEXT, Vote.INCLUDE, reviewer="aoife")
    if code:
        code_reference(workspace)
    if appraise:
        for label in reference.studies:
            for number, answer in enumerate(RATED.get(label, MEDIUM), start=1):
                answer_question(workspace, label, str(number), answer, reviewer="aoife")
    if participants:
        for label, count in PARTICIPANTS.items():
            set_value(workspace, label, "participants", f"patients={count}")
    return workspace


def code_reference(workspace: Workspace) -> None:
    """The codebook, a document per study and the reference review's codings."""
    reference = load_reference()
    for position, theme in enumerate(reference.themes):
        create_theme(
            workspace, theme.name, level=ThemeLevel.ANALYTICAL, key_terms=theme.key_terms, position=position
        )
        create_theme(
            workspace, f"{theme.name} (as described)", level=ThemeLevel.DESCRIPTIVE, parent=theme.name
        )
        create_code(workspace, f"code for {theme.name.lower()}", themes=[f"{theme.name} (as described)"])
    for label in reference.studies:
        sentences = [(t, finding_text(label, t.name)) for t in reference.themes if label in t.studies]
        document = add_document(
            workspace, label, text="\n".join(s for _, s in sentences) + "\n", title=f"{label}: findings"
        )
        start = 0
        for theme, sentence in sentences:
            kind = SpanKind.QUOTE if reference.themes.index(theme) % 2 else SpanKind.INTERPRETATION
            apply_code(
                workspace,
                document.id,
                f"code for {theme.name.lower()}",
                span=(start, start + len(sentence)),
                kind=kind,
                coder="aoife",
            )
            start += len(sentence) + 1
