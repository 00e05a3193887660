"""``synthesist serve``: the web app on the project's database."""

from __future__ import annotations

from typing import Annotated

import typer

from synthesist.cli.common import ProjectOption, console, open_project

__all__ = ["register"]


def serve(
    project: ProjectOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies/--no-secure-cookies",
            help="Mark the session cookie Secure (use when a proxy serves the app over https).",
        ),
    ] = False,
) -> None:
    """Run the web app for the project (log in with an account from `synthesist users add`).

    Example: synthesist serve --port 8000
    """
    import uvicorn  # imported here: the rest of the CLI does not need the web stack loaded

    from synthesist.web import create_app

    with open_project(project) as ws:
        app = create_app(ws, secure_cookies=secure_cookies)
        console.print(f"Serving {ws.project.title} at http://{host}:{port}/ (Ctrl+C to stop)")
        uvicorn.run(app, host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command()(serve)
