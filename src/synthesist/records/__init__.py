"""Bibliographic records and their pure cleaning functions."""

from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year, split_keywords
from synthesist.records.model import CANONICAL_FIELDS, Author, Record

__all__ = [
    "CANONICAL_FIELDS",
    "Author",
    "Record",
    "clean_doi",
    "clean_pmid",
    "clean_text",
    "parse_year",
    "split_keywords",
]
