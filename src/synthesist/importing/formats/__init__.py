"""Built-in readers; each module registers its reader(s) on import."""

from synthesist.importing.formats import (  # noqa: F401
    bibtex,
    cochrane_text,
    endnote_xml,
    json_records,
    medline,
    pubmed_xml,
    refer,
    ris,
    tabular,
    wos,
)
