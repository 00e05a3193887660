"""GRADE-CERQual findings and the conceptual model."""
