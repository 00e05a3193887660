"""Thematic synthesis: documents, coding, themes and what is built from them (see model.py)."""
