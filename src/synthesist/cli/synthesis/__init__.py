"""Thematic synthesis: the groups ``doc``, ``code``, ``theme``, ``codebook`` and ``synthesis``.

- ``documents.py``: doc add, list, show, replace, anchors, place
- ``coding.py``: code add, apply, remove, list, show, rename, define, memo, merge, split, agree,
  disagreements, resolve
- ``themes.py``: theme add, list, assign, move, rename, define
- ``codebook.py``: codebook load, show
- ``refi_qda.py``: codebook export, import (``.qdc``); synthesis export, import (``.qdpx``)
- ``outputs.py``: synthesis matrix, evidence, sensitivity
- ``assist.py``: synthesis suggest, accept, reject, agreement
- ``concept_model.py``: synthesis model ...

One builder per group below registers its commands in the order its help lists them.
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["code_app", "codebook_app", "doc_app", "synthesis_app", "theme_app"]

# Each builder imports its group's modules when called, not at the top: ``synthesist doc`` must not
# import the coding assistant (and scikit-learn with it) that ``synthesis suggest`` needs.


def doc_app() -> typer.Typer:
    """The ``doc`` group."""
    from synthesist.cli.synthesis import documents

    app = command_group(
        "Documents to code: the findings text of each included study, from its full-text report, a file "
        "or pasted text, cut into numbered segments (sentences and lines).\n\n"
        'Example: synthesist doc add "Cooper 2008" --report 3 --pages 5-9',
    )
    documents.register(app)
    return app


def code_app() -> typer.Typer:
    """The ``code`` group."""
    from synthesist.cli.synthesis import coding

    app = command_group(
        "Codes: apply them to spans of the documents (as a participant quote or an author "
        "interpretation), keep the codebook's codes (define, rename, merge, split, memos), and reach "
        "consensus between two coders.\n\n"
        'Example: synthesist code apply D3 "being listened to" --segment 12 --kind quote --as alice',
    )
    coding.register(app)
    return app


def theme_app() -> typer.Typer:
    """The ``theme`` group."""
    from synthesist.cli.synthesis import themes

    app = command_group(
        "Themes: descriptive themes group codes, analytical themes group descriptive ones; a coding "
        "counts for every theme above its code.\n\n"
        'Example: synthesist theme add "Mutual understanding" --level analytical '
        '--key-terms "trust, beliefs"',
    )
    themes.register(app)
    return app


def codebook_app() -> typer.Typer:
    """The ``codebook`` group."""
    from synthesist.cli.synthesis import codebook, refi_qda

    app = command_group(
        "The codebook: themes with their definitions and key terms, and codes, written in the codebook "
        "section of review.toml or the file it names.\n\nExample: synthesist codebook load",
    )
    codebook.register(app)
    refi_qda.register_codebook(app)
    return app


def synthesis_app() -> typer.Typer:
    """The ``synthesis`` group."""
    from synthesist.cli.synthesis import assist, concept_model, outputs, refi_qda

    app = command_group(
        "Thematic synthesis: suggestions from the assistant, agreement between coders, and the "
        "outputs built from the coding (theme × study matrix, evidence, sensitivity, conceptual model).\n\n"
        "Example: synthesist synthesis agreement --coders alice bob",
    )
    outputs.register(app)
    refi_qda.register_synthesis(app)
    assist.register(app)
    concept_model.register(app)
    return app
