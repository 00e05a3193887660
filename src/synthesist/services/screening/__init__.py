"""Screening: decisions, the reviewer's queue, seeds, views, imported decisions, simulation."""
