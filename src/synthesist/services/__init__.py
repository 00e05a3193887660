"""Service functions: one per use case, each one transaction. CLI and web call only these."""
