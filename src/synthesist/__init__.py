"""Synthesist: systematic review and qualitative evidence synthesis."""

__version__ = "0.1.0"
