"""``synthesist serve``: the web app on the project's database."""

from __future__ import annotations

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
) -> None:
    """Run the web app for the project (log in with an account from `synthesist users add`).

    Example: synthesist serve --port 8000

    Example, behind nginx on the same machine serving https:

    synthesist serve --port 8000 --secure-cookies --forwarded-allow-ips 127.0.0.1
    """
    import uvicorn  # imported here: the rest of the CLI does not need the web stack loaded

    from synthesist.services.records.uploads import sweep_orphan_uploads
    from synthesist.web import create_app

    proxy = uvicorn_options(forwarded_allow_ips)
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


def register(app: typer.Typer) -> None:
    app.command()(serve)
