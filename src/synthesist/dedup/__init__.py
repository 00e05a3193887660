"""Deduplication: normalise, fingerprint, block, match, cluster and merge records. Pure."""
