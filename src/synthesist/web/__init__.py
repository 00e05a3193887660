"""The web app: a thin FastAPI adapter over the services (see :func:`create_app`)."""

from __future__ import annotations

from synthesist.web.app import create_app

__all__ = ["create_app"]
