"""Screening: reviewers' decisions on records, the state each record is in, and how well reviewers agree."""
