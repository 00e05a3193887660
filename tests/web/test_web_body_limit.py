"""The streaming body limit (issue 17, item 3): a body is counted as it arrives, chunked or not, and
cut with 413 at the limit of its kind of route before Starlette spools more of it; an upload route
takes a large body only from a reviewer of the project (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from tempfile import SpooledTemporaryFile
from typing import Any

import httpx
import pytest
import starlette.formparsers
from starlette.types import Message, Receive, Scope, Send

from synthesist.services.fulltext.reports import list_reports
from synthesist.web.body_limit import BodyLimit, BodyLimits, upload_check_for
from tests.web.conftest import Served, csrf_of
from tests.web.serving import serve_in_thread
from tests.web.test_web_fulltext import _to_full_text

BOUNDARY = "synthesist-test-boundary"
CHUNK = 16 * 1024
SMALL = BodyLimits(small=32 * 1024, form=64 * 1024, report=256 * 1024, imports=256 * 1024)


class _SpoolSpy(SpooledTemporaryFile[bytes]):
    """Starlette's spooled upload file, counting what is written to it."""

    written = 0

    def write(self, data: Any) -> int:
        _SpoolSpy.written += len(data)
        return super().write(data)


@pytest.fixture
def spooled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[type[_SpoolSpy]]:
    """Spooled bytes counted, and the temporary folder pointed at an empty test folder."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(starlette.formparsers, "SpooledTemporaryFile", _SpoolSpy)
    _SpoolSpy.written = 0
    yield _SpoolSpy


def _multipart_chunks(field: str, total: int) -> Iterator[bytes]:
    """A multipart body whose one file part is ``total`` bytes, in chunks, with no declared length."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="big.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    for _ in range(total // CHUNK):
        yield b"x" * CHUNK
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def _post_chunked(app: Any, path: str, total: int, cookies: dict[str, str] | None = None) -> tuple[int, int]:
    """POST a chunked multipart body of ``total`` bytes through ASGI, streamed as the app asks for
    it: the status and how many bytes the app took."""
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        for chunk in _multipart_chunks("report", total):
            pulled += len(chunk)
            yield chunk

    async def run() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", cookies=cookies
        ) as client:
            response = await client.post(
                path,
                content=body(),
                headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
            )
            return response.status_code

    return asyncio.run(run()), pulled


def test_a_chunked_login_post_is_cut_at_the_limit_before_it_fills_the_temporary_folder(
    served: Served, spooled: type[_SpoolSpy]
) -> None:
    limit = BodyLimits().small
    status, pulled = _post_chunked(served.app, "/login", 8 * 1024 * 1024)
    assert status == 413
    assert pulled <= limit + 2 * CHUNK, "the body is no longer read once past the limit"
    assert spooled.written <= limit, "nothing past the limit reached the spooled file"
    assert list(Path(tempfile.gettempdir()).iterdir()) == []


def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body() -> None:
    sent: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("the app is never called")

    async def receive() -> Message:
        raise AssertionError("no byte of the body is read")

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/p/a/import",
        "headers": [(b"content-length", str(10**12).encode())],
    }
    asyncio.run(BodyLimit(app)(scope, receive, send))
    assert sent[0]["status"] == 413
    assert b"at most 64 KB" in sent[1]["body"], "no session: an upload route takes the small limit"


def test_upload_routes_take_a_large_body_only_from_a_reviewer_of_the_project(
    served: Served, spooled: type[_SpoolSpy]
) -> None:
    _to_full_text(served, 1)
    key = served.a.project.key
    limited = BodyLimit(served.app, SMALL, may_upload=upload_check_for(served.app.state.web))
    reviewer = served.client("lukasz")
    outsider = served.client("outsider")
    path = f"/p/{key}/records/1/reports"
    over_small = 128 * 1024  # over the small and form limits, under the report limit

    for client in (None, outsider):  # no session; a session of another project's member
        cookies = dict(client.cookies) if client else None
        status, pulled = _post_chunked(limited, path, over_small, cookies)
        assert status == 413 and pulled <= SMALL.small + 2 * CHUNK
    # the reviewer's body is read whole (no CSRF token in it, so the route then refuses it: 403)
    status, pulled = _post_chunked(limited, path, over_small, dict(reviewer.cookies))
    assert status == 403 and pulled > over_small
    status, pulled = _post_chunked(limited, path, 1024 * 1024, dict(reviewer.cookies))
    assert status == 413 and pulled <= SMALL.report + 2 * CHUNK
    assert list_reports(served.a, 1) == []
    assert list(Path(tempfile.gettempdir()).iterdir()) == []


def test_a_form_post_over_its_limit_is_refused_and_a_normal_upload_works(
    served: Served, spooled: type[_SpoolSpy]
) -> None:
    _to_full_text(served, 1)
    key = served.a.project.key
    client = served.client("lukasz")
    token = csrf_of(client.get(f"/p/{key}/screen/full-text").text)
    too_long = client.post(
        f"/p/{key}/records/1/not-retrieved", data={"csrf_token": token, "reason": "x" * 2_000_000}
    )
    assert too_long.status_code == 413 and "at most 1 MB" in too_long.text
    # 300 KB: over a form's limit, a normal report
    report = b"Participants: 40 adults. " * 12_000
    attached = client.post(
        f"/p/{key}/records/1/reports",
        files={"report": ("trial.txt", report, "text/plain")},
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert attached.status_code == 303, attached.text
    assert [r.file_name for r in list_reports(served.a, 1)] == ["trial.txt"]
    assert list(Path(tempfile.gettempdir()).iterdir()) == [], "the upload's temporary folder is gone"


# "..", "." and "/" name no file; NUL, ESC and BEL cannot be in one shown to a reviewer; 300 bytes
# is over what a file system takes in one name. Each gave HTTP 500 before.
UNUSABLE_NAMES = ["", "..", ".", "/", "a\x00b.txt", "notes\x1b]0;x\x07.txt", "x" * 300 + ".txt"]


def test_a_report_with_an_unusable_file_name_is_refused_with_400_and_nothing_written(
    served: Served, spooled: type[_SpoolSpy]
) -> None:
    _to_full_text(served, 1)
    key = served.a.project.key
    client = served.client("lukasz")
    token = csrf_of(client.get(f"/p/{key}/screen/full-text").text)
    for name in UNUSABLE_NAMES:
        # built by hand: httpx would percent-encode the control characters in a file name
        body = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="report"; filename="{name}"\r\n'
            f"Content-Type: text/plain\r\n\r\nParticipants: 40 adults\r\n--{BOUNDARY}--\r\n"
        ).encode()
        response = client.post(
            f"/p/{key}/records/1/reports",
            content=body,
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        assert response.status_code == 400, (name, response.text)
        assert "file name" in response.text or "choose a file" in response.text, name
    assert list_reports(served.a, 1) == []
    assert list(Path(tempfile.gettempdir()).iterdir()) == []
    stored = served.a.project.root / "fulltext"
    assert not stored.exists() or not any(path.is_file() for path in stored.rglob("*"))


def test_a_real_server_answers_413_to_a_chunked_body_over_the_limit(served: Served) -> None:
    with serve_in_thread(served.app) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(
                b"POST /login HTTP/1.1\r\nHost: testserver\r\nTransfer-Encoding: chunked\r\n"
                b"Content-Type: multipart/form-data; boundary=" + BOUNDARY.encode() + b"\r\n\r\n"
            )
            sent = 0
            try:
                for chunk in _multipart_chunks("name", 4 * 1024 * 1024):
                    sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server stopped reading: what it answered is in the socket
            answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
