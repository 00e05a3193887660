"""``synthesist serve --site DIR`` and ``--workers N``: a site's every review, and several processes.

With one process the app is built here and run; with N, uvicorn starts N processes that each build
it from the import string ``synthesist.web.factory:app_from_environment``, the settings passed in
environment variables (uvicorn cannot hand an app object to a child process)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthesist.cli.common import console
from synthesist.errors import UserError

if TYPE_CHECKING:
    from synthesist.review.project import Project
    from synthesist.review.site import Site

__all__ = ["serve_many"]


def serve_many(
    site: Path | None,
    project: Path | None,
    *,
    workers: int,
    host: str,
    port: int,
    secure_cookies: bool,
    proxy: dict[str, Any],
) -> None:
    import uvicorn

    from synthesist.review.project import find_project
    from synthesist.review.site import load_site
    from synthesist.web.factory import PROJECT_ENV, SECURE_COOKIES_ENV, SITE_ENV, create_site_app

    if site is not None and project is not None:
        raise UserError("give --site or --project, not both", hint="--site serves every review of the site.")
    if site is not None:
        loaded = load_site(site.expanduser())  # a missing or broken site.toml is named here, once
        _sweep_uploads(loaded)
        os.environ[SITE_ENV] = str(loaded.root)
        what = f"the site {loaded.name} ({loaded.root})"
    else:
        found = find_project(project)
        _sweep_project_uploads(found)
        os.environ[PROJECT_ENV] = str(found.root)
        what = found.title
    os.environ[SECURE_COOKIES_ENV] = "1" if secure_cookies else "0"
    processes = f" in {workers} processes" if workers > 1 else ""
    console.print(f"Serving {what} at http://{host}:{port}/{processes} (Ctrl+C to stop)")
    if proxy["proxy_headers"]:
        console.print(f"Trusting X-Forwarded-For from: {', '.join(proxy['forwarded_allow_ips'])}")
    if workers > 1:
        uvicorn.run(
            "synthesist.web.factory:app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            **proxy,
            **_healthcheck(),
        )
        return
    assert site is not None
    uvicorn.run(
        create_site_app(site, secure_cookies=secure_cookies), host=host, port=port, log_level="info", **proxy
    )


def _healthcheck() -> dict[str, Any]:
    """uvicorn kills a web process that does not answer its supervisor's ping in time (5 s by
    default): under a burst of CPU a busy process answers late and lost its open requests. Thirty
    seconds still restarts a process that hangs (uvicorn versions before the setting have no check)."""
    import inspect

    import uvicorn

    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.run).parameters:
        return {"timeout_worker_healthcheck": 30}
    return {}


def _sweep_uploads(site: Site) -> None:
    """Upload folders a killed server left in any review (as ``serve --project`` does for its one),
    once, before the web processes start; folders that queued or running jobs name are kept."""
    from synthesist.services.records.uploads import sweep_site_uploads
    from synthesist.workspace import open_accounts

    accounts = open_accounts(site, "synthesist")
    try:
        swept = sweep_site_uploads(accounts)
    finally:
        accounts.close()
    for key, folders in swept.items():
        console.print(f"Removed {len(folders)} upload folder(s) of {key} left by imports that never happened")


def _sweep_project_uploads(project: Project) -> None:
    """The same for one review served in several processes (one process sweeps in serve.py)."""
    from synthesist.services.records.uploads import sweep_orphan_uploads
    from synthesist.workspace import open_workspace

    workspace = open_workspace(project)
    try:
        swept = sweep_orphan_uploads(workspace)
    finally:
        workspace.close()
    if swept:
        console.print(f"Removed {len(swept)} upload folder(s) left by imports that never happened")
