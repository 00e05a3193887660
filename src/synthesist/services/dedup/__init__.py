"""Deduplication: runs, and a reviewer's part in them."""
