"""Full texts: reports, not-retrieved marks, studies."""
