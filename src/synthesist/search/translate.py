"""Translate a strategy into each database's syntax, and read a pasted strategy back.

``translate(strategy, "ovid-medline").text`` is the line-numbered strategy a librarian pastes into
Ovid; ``.query`` is the same search as one expression for a search box or an API; ``.notes`` say
what the database cannot express and what was done instead. ``parse(text, target)`` reads a
strategy in that syntax back into the model (a :class:`StrategySyntaxError` names line and column).
"""

from __future__ import annotations

from synthesist.errors import UnknownPlugin
from synthesist.search.dialects.base import Dialect, Note, Translation
from synthesist.search.dialects.cochrane import Cochrane
from synthesist.search.dialects.ebsco import EbscoCinahl
from synthesist.search.dialects.embase_com import EmbaseCom
from synthesist.search.dialects.europepmc import EuropePmc
from synthesist.search.dialects.ovid import OvidEmbase, OvidMedline, OvidPsycinfo
from synthesist.search.dialects.pubmed import PubMed
from synthesist.search.dialects.scopus import Scopus
from synthesist.search.dialects.wos import WebOfScience
from synthesist.search.model import Strategy

__all__ = ["TARGETS", "Note", "Translation", "dialect", "parse", "translate"]

TARGETS: tuple[str, ...] = (
    "pubmed",
    "ovid-medline",
    "ovid-embase",
    "ovid-psycinfo",
    "ebsco-cinahl",
    "embase-com",
    "cochrane",
    "wos",
    "scopus",
    "europepmc",
)

_DIALECTS: dict[str, Dialect] = {
    dialect.target: dialect
    for dialect in (
        PubMed(),
        OvidMedline(),
        OvidEmbase(),
        OvidPsycinfo(),
        EbscoCinahl(),
        EmbaseCom(),
        Cochrane(),
        WebOfScience(),
        Scopus(),
        EuropePmc(),
    )
}


def dialect(target: str) -> Dialect:
    """The syntax of ``target`` (one of :data:`TARGETS`)."""
    found = _DIALECTS.get(target)
    if found is None:
        raise UnknownPlugin(f"unknown search target {target!r}", hint=f"Targets: {', '.join(TARGETS)}.")
    return found


def translate(strategy: Strategy, target: str) -> Translation:
    """``strategy`` in the syntax of ``target``, with notes on what it could not express."""
    return dialect(target).render(strategy)


def parse(text: str, target: str, *, name: str = "pasted") -> Strategy:
    """A strategy pasted in the syntax of ``target``, read back into the model. Concept blocks are
    reconstructed from the lines (their names are made from their first term)."""
    return dialect(target).parse(text, name)
