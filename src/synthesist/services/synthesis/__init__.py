"""Thematic synthesis: documents, codes, coding, themes, agreement, outputs, REFI-QDA."""
