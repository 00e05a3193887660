"""Data extraction: field values checked against the form, and where each study's extraction
stands in its mode (pure; the services in ``synthesist.services.extraction.values`` store and read it)."""
