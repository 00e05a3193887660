"""Exporters: records out to RIS, CSV, BibTeX and JSON."""

from synthesist.exporting.base import ExportItem, Writer, available_writers, get_writer, register_writer

__all__ = ["ExportItem", "Writer", "available_writers", "get_writer", "register_writer"]
