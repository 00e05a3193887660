"""``synthesist appraise``: critical appraisal of the included studies with a checklist.

- ``answers.py``: start (the session's entry), set, import, verify, conflicts, resolve, category,
  show, status, agreement
- ``session.py``: the terminal session, one question at a time
- ``outputs.py``: checklists, checklist show, rules, table, plot
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["appraise_app"]


def appraise_app() -> typer.Typer:
    """The ``appraise`` group, its commands registered in the order its help lists them."""
    # Imported here: importing a module of this package (for a helper) must not build the group.
    from synthesist.cli.appraise import answers, outputs

    app = command_group(
        "Critical appraisal of the included studies with a checklist (CASP, JBI, MMAT or your own), "
        "overall ratings from review.toml's rating rules, and the appraisal table and plots.\n\n"
        "Example: synthesist appraise start --as alice",
    )
    answers.register(app)
    outputs.register(app)
    return app
