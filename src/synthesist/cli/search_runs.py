"""``synthesist search run|rerun|runs|citations``: live searches of free sources, registered on the
``search`` group of ``cli/search.py``."""

from __future__ import annotations

from synthesist.cli.search import app

__all__ = ["app"]
