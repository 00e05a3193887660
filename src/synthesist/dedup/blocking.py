"""Blocking: which pairs of records are worth comparing at all.

Comparing every record with every other grows with the square of the number of records (5 billion
pairs for 100,000). Instead each record gets a few keys, and only records that share a key are
compared. The keys are chosen so that a duplicate shares at least one with its twin even when the
exports differ: the DOI, the PMID, the start and the end of the title (a typo or a dropped subtitle
spoils only one of them), and the citation (first author or volume with the first page) for titles
that differ altogether, as translated titles do. (A first-author-and-year key was tried and dropped:
on the labelled sets it found no duplicate the other keys missed, and it made 60% of the pairs.)
A block larger than ``max_block`` (a common first page in one volume, say) is not compared all
against all: its records are sorted by title and each is compared with its ``window`` neighbours
(the sorted-neighbourhood method), so the work stays close to linear in the number of records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from synthesist.dedup.features import Fingerprint

__all__ = ["blocking_keys", "candidate_pairs"]

_TITLE_KEY_LENGTH = 24


def blocking_keys(fp: Fingerprint) -> Iterator[tuple[str, ...]]:
    if fp.doi:
        yield ("doi", fp.doi)
    if fp.pmid:
        yield ("pmid", fp.pmid)
    if len(fp.title_key) >= 12:
        yield ("title-start", fp.title_key[:_TITLE_KEY_LENGTH])
        if len(fp.title_key) > _TITLE_KEY_LENGTH:
            yield ("title-end", fp.title_key[-_TITLE_KEY_LENGTH:])
    first_page = fp.pages[0] if fp.pages else None
    first_author = fp.authors[0] if fp.authors else None
    if first_page and first_author:
        yield ("author-page", first_author, first_page)
    if first_page and fp.volume:
        yield ("volume-page", fp.volume, first_page)


def candidate_pairs(
    prints: Sequence[Fingerprint], *, new_after: int = 0, max_block: int = 30, window: int = 8
) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, into ``prints`` that share a blocking key.

    With ``new_after`` only pairs that involve a record whose id is above it are returned (an
    incremental run after an import compares the new records with each other and with the old).
    """
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, fp in enumerate(prints):
        for key in blocking_keys(fp):
            blocks[key].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= max_block:
            for position, first in enumerate(members):
                for second in members[position + 1 :]:
                    pairs.add((first, second) if first < second else (second, first))
            continue
        ordered = sorted(members, key=lambda index: prints[index].title_key)
        for position, first in enumerate(ordered):
            for second in ordered[position + 1 : position + 1 + window]:
                pairs.add((first, second) if first < second else (second, first))
    if new_after:
        pairs = {
            (i, j) for i, j in pairs if prints[i].record_id > new_after or prints[j].record_id > new_after
        }
    return pairs
