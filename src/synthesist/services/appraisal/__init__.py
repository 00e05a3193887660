"""Appraisal: answering checklists, checks and consensus, views, outputs, CSV import."""
