"""The worked example: the reference review (patient–professional partnerships and chronic back pain
self-management) as far as its published facts go, shipped as data files in this package.

``review.toml`` (protocol and codebook), ``studies.toml`` (the ten included studies, their
characteristics, illustrative CASP answers and paraphrased findings), ``theme_assignments.toml``
(Table 2: which studies each analytical theme rests on), ``model.toml`` (the conceptual model) and
``illustrative.toml`` (what is illustrative). :mod:`synthesist.services.demo.build` builds a project from
them; nothing here reads the network or anything outside the package.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

__all__ = ["data_text", "illustrative_notes", "load_data"]


def data_text(name: str) -> str:
    """A data file of this package, as text."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def load_data(name: str) -> dict[str, Any]:
    """A TOML data file of this package, parsed."""
    return tomllib.loads(data_text(name))


def illustrative_notes() -> list[str]:
    """Short sentences saying which values of the worked example are illustrative, not published."""
    return [str(note) for note in load_data("illustrative.toml")["notes"]]
