"""Built-in writers; each module registers its writer on import."""

from synthesist.exporting.formats import bibtex, csv_writer, json_writer, ris  # noqa: F401
