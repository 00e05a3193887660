"""The worked example."""
