"""A cap on the size of a request body, checked before anything of it is read.

Starlette parses a multipart upload by spooling it to a temporary file before a route sees it, so a
route's own size check (an export's 200 MB) comes after the disk has taken whatever was sent. This
ASGI middleware refuses a request whose declared ``Content-Length`` is over the cap at once, with
413 and a page that says what the limit is. Browsers declare the length of every form they post.
"""

from __future__ import annotations

from html import escape

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["MAX_REQUEST_BYTES", "BodyLimit"]

# Several exports of up to 200 MB each, or a large PDF report, fit; a runaway upload does not.
MAX_REQUEST_BYTES = 1024 * 1024 * 1024


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > self.max_bytes:
                await self._refuse(send)
                return
        await self.app(scope, receive, send)

    async def _refuse(self, send: Send) -> None:
        megabytes = self.max_bytes // (1024 * 1024)
        body = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too large</title>'
            "</head><body><main><h1>This upload is too large</h1><p>"
            + escape(
                f"The server accepts at most {megabytes} MB in one request. Upload the files one at a time."
            )
            + "</p></main></body></html>"
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
