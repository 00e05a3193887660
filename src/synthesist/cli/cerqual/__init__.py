"""``synthesist cerqual``: GRADE-CERQual, how much confidence each review finding deserves.

- ``findings.py``: add, list, show, set, study, table
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["cerqual_app"]


def cerqual_app() -> typer.Typer:
    """The ``cerqual`` group, its commands registered in the order its help lists them."""
    # Imported here: importing a module of this package (for a helper) must not build the group.
    from synthesist.cli.cerqual import findings

    app = command_group(
        "GRADE-CERQual: how much confidence each review finding deserves — its contributing studies "
        "(from the coding of its themes), the four components (methodological limitations, pre-filled "
        "from the appraisal ratings; coherence; adequacy, with the numbers of studies and participants; "
        "relevance), the overall confidence, and the Summary of Qualitative Findings table.\n\n"
        'Example: synthesist cerqual add "Communication underpins partnership" '
        '--theme "Effective communication"',
    )
    findings.register(app)
    return app
