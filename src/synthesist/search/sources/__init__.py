"""Clients of the free bibliographic sources a strategy can be run on: PubMed, Europe PMC, OpenAlex
and Crossref. :func:`open_source` builds one with the shared HTTP client (rate limit, retries)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import httpx

from synthesist.errors import UserError
from synthesist.search.sources.base import FetchedPage, SearchSource, SourceQuery
from synthesist.search.sources.crossref import CrossrefSource
from synthesist.search.sources.europepmc import EuropePmcSource
from synthesist.search.sources.http import Clock, HttpClient, RetryPolicy, Sleep
from synthesist.search.sources.openalex import OpenAlexSource
from synthesist.search.sources.pubmed import API_KEY_ENV, PubmedSource

__all__ = [
    "SOURCES",
    "FetchedPage",
    "SearchSource",
    "SourceOptions",
    "SourceQuery",
    "open_source",
    "source_label",
]

SOURCES: dict[str, type[SearchSource]] = {
    "pubmed": PubmedSource,
    "europepmc": EuropePmcSource,
    "openalex": OpenAlexSource,
    "crossref": CrossrefSource,
}
EMAIL_ENV = "SYNTHESIST_EMAIL"
OPENALEX_KEY_ENV = "OPENALEX_API_KEY"


@dataclass(frozen=True)
class SourceOptions:
    """How to reach the sources. ``transport``, ``sleep`` and ``clock`` are for tests (recorded
    responses, no waiting); the API key and e-mail fall back to ``NCBI_API_KEY``/``OPENALEX_API_KEY``
    and ``SYNTHESIST_EMAIL``."""

    api_key: str | None = None
    email: str | None = None
    transport: httpx.BaseTransport | None = None
    sleep: Sleep = time.sleep
    clock: Clock = time.monotonic
    retry: RetryPolicy = field(default_factory=RetryPolicy)


def check_source(name: str) -> str:
    if name not in SOURCES:
        raise UserError(f"unknown source {name!r}", hint=f"Live sources: {', '.join(SOURCES)}.")
    return name


def source_label(name: str) -> str:
    return SOURCES[check_source(name)].label


def open_source(name: str, options: SourceOptions = SourceOptions()) -> SearchSource:
    check_source(name)
    email = options.email or os.environ.get(EMAIL_ENV) or None

    def client(label: str, per_second: float) -> HttpClient:
        return HttpClient(
            label,
            per_second=per_second,
            transport=options.transport,
            retry=options.retry,
            sleep=options.sleep,
            clock=options.clock,
            email=email,
        )

    if name == "pubmed":
        key = options.api_key or os.environ.get(API_KEY_ENV) or None
        # NCBI: 3 requests a second without an API key, 10 with one
        return PubmedSource(client("PubMed", 10 if key else 3), api_key=key, email=email)
    if name == "europepmc":
        return EuropePmcSource(client("Europe PMC", 10))
    if name == "openalex":
        key = options.api_key or os.environ.get(OPENALEX_KEY_ENV) or None
        return OpenAlexSource(client("OpenAlex", 10), email=email, api_key=key)
    # Crossref's polite pool asks for no more than about 10 requests a second with a mailto
    return CrossrefSource(client("Crossref", 10 if email else 5), email=email)
