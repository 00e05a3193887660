"""Which fetched records a living update or citation search imports (pure): not the same DOI or
PMID as a project record, not a duplicate of one by the project's matcher, and each once."""

from __future__ import annotations

from synthesist.records.model import Author, Record
from synthesist.search.runs import split_new

_COOPER = Record(
    title="Patient-centredness in physiotherapy from the perspective of the chronic low back pain patient",
    authors=[Author("Cooper", "K"), Author("Smith", "BH"), Author("Hancock", "E")],
    year=2008,
    journal="Physiotherapy",
    volume="94",
    issue="3",
    pages="244-252",
    doi="10.1016/j.physio.2007.10.006",
    pmid="19627718",
)


def test_same_identifiers_and_matcher_duplicates_are_already_present() -> None:
    existing = [(1, _COOPER), (2, Record(title="Another study of back pain", pmid="11111111", year=2010))]
    fetched = [
        Record(title="Anything", doi="https://doi.org/10.1016/J.PHYSIO.2007.10.006"),  # same DOI, other form
        Record(title="A record from PubMed", pmid="11111111"),  # same PMID
        # the Cooper paper again, without identifiers and with its title as another source writes it
        _COOPER.with_changes(
            doi=None, pmid=None, title=str(_COOPER.title).upper() + ".", journal="PHYSIOTHERAPY"
        ),
        Record(title="A new trial of self-management for back pain", doi="10.1000/new.1", year=2024),
        Record(title="A new trial of self-management for back pain", doi="10.1000/NEW.1", year=2024),
    ]
    novelty = split_new(fetched, existing)
    assert novelty.new == [3]
    assert novelty.already_present == 3
    assert novelty.repeated == 1


def test_into_an_empty_project_everything_is_new() -> None:
    fetched = [_COOPER, Record(title="Second", doi="10.1000/second")]
    assert split_new(fetched, []).new == [0, 1]
