"""``synthesist serve``: the web app on the project's database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from synthesist.cli.common import ProjectOption, console, open_project
from synthesist.errors import UserError

__all__ = ["register", "uvicorn_options"]

FORWARDED_HELP = (
    "Behind a reverse proxy (nginx, Caddy, Apache): the proxy addresses whose X-Forwarded-For and "
    "X-Forwarded-Proto headers are trusted, comma-separated (IP addresses or networks such as "
    "10.0.0.0/8; '*' trusts any sender, only safe when nothing else can reach the port). The login "
    "rate limit then counts failures per real client address instead of the proxy's. Default: no "
    "proxy is trusted and the headers are ignored. Example: --forwarded-allow-ips 127.0.0.1"
)


def uvicorn_options(forwarded_allow_ips: str | None) -> dict[str, Any]:
    """uvicorn's proxy settings for ``--forwarded-allow-ips``. Without it, no forwarded header is
    trusted: uvicorn's own default trusts 127.0.0.1 (or $FORWARDED_ALLOW_IPS), which would let any
    local process choose the address the login rate limit sees."""
    if forwarded_allow_ips is None:
        return {"proxy_headers": False}
    addresses = [part.strip() for part in forwarded_allow_ips.split(",") if part.strip()]
    if not addresses:
        raise UserError(
            "--forwarded-allow-ips names no address",
            hint="Give the proxy's address, e.g. --forwarded-allow-ips 127.0.0.1",
        )
    return {"proxy_headers": True, "forwarded_allow_ips": addresses}


def serve(
    project: ProjectOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies",
            help="Mark the session cookie Secure (use when a proxy serves the app over https).",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str | None, typer.Option("--forwarded-allow-ips", help=FORWARDED_HELP, metavar="ADDRESSES")
    ] = None,
    site: Annotated[
        Path | None,
        typer.Option(
            "--site",
            envvar="SYNTHESIST_SITE",
            help="Serve every review of this site (its folder, with site.toml).",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Web processes to run (each opens its own databases).")
    ] = 1,
    job_workers: Annotated[
        int,
        typer.Option(
            "--job-workers",
            min=0,
            help="Background-job worker processes to start beside the web app (0: none; run "
            "`synthesist worker` elsewhere instead).",
        ),
    ] = 1,
) -> None:
    """Run the web app for the project (log in with an account from `synthesist users add`).

    Example: synthesist serve --port 8000

    Example, behind nginx on the same machine serving https:

    synthesist serve --port 8000 --secure-cookies --forwarded-allow-ips 127.0.0.1

    Example, every review of a site, in four processes:

    synthesist serve --site /srv/synthesist --workers 4
    """
    import uvicorn  # imported here: the rest of the CLI does not need the web stack loaded

    from synthesist.services.records.uploads import sweep_orphan_uploads
    from synthesist.web import create_app

    proxy = uvicorn_options(forwarded_allow_ips)
    _start_job_workers(site, project, job_workers)  # stopped when the server exits
    if site is not None or workers > 1:  # a site, or several processes: see serve_many.py
        from synthesist.cli.project.serve_many import serve_many

        serve_many(
            site, project, workers=workers, host=host, port=port, secure_cookies=secure_cookies, proxy=proxy
        )
        return
    with open_project(project) as ws:
        app = create_app(ws, secure_cookies=secure_cookies)
        # uploads a killed server left behind (an hour old at least, so an import running elsewhere is spared)
        swept = sweep_orphan_uploads(ws)
        if swept:
            console.print(f"Removed {len(swept)} upload folder(s) left by imports that never happened")
        console.print(f"Serving {ws.project.title} at http://{host}:{port}/ (Ctrl+C to stop)")
        if proxy["proxy_headers"]:
            console.print(f"Trusting X-Forwarded-For from: {', '.join(proxy['forwarded_allow_ips'])}")
        uvicorn.run(app, host=host, port=port, log_level="info", **proxy)


def _start_job_workers(site: Path | None, project: Path | None, processes: int) -> None:
    """Recover the jobs a stopped server left running, then start a queue consumer with
    ``processes`` workers in a child process, stopped (letting running jobs finish) at exit."""
    if processes < 1:
        return
    import atexit

    from synthesist.services.jobs import queue_url_for, recover_jobs, start_embedded_workers

    if site is not None:
        from synthesist.review.site import load_site
        from synthesist.workspace import open_accounts

        loaded = load_site(site)
        url = loaded.queue_url
        accounts = open_accounts(loaded)
        try:
            recovered = recover_jobs(accounts)
        finally:
            accounts.close()
    else:
        with open_project(project) as ws:
            url = queue_url_for(ws)
            recovered = recover_jobs(ws)
    for job in recovered:
        console.print(f"Job {job.id} ({job.kind}) was running when the server stopped: {job.status.value}")
    atexit.register(start_embedded_workers(url, processes).stop)
    console.print(f"Started {processes} background-job worker(s) on {url.split('@')[-1]}")


def register(app: typer.Typer) -> None:
    app.command()(serve)
