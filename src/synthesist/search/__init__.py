"""Search strategies (model, translation between database syntaxes) and live searches of free
sources, citation searching and living updates."""
