"""Data extraction: values, checks, CSV import, the table of characteristics."""
