"""Account admin: disabling and enabling users (login refused with a clear message, live sessions
ended, events logged), and ``synthesist serve --forwarded-allow-ips`` so the login rate limit sees
the real client address behind a reverse proxy (a real uvicorn server in a subprocess)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from synthesist.cli.main import app as cli
from synthesist.cli.project.serve import uvicorn_options
from synthesist.errors import UserError
from synthesist.services.accounts.users import LOGIN_ATTEMPTS, disable_user, enable_user, list_users
from synthesist.services.records.reading import read_log
from tests.web.conftest import PASSWORD, Served, csrf_of, login


def _try_login(client: httpx.Client, name: str, password: str) -> tuple[int, str]:
    """A login attempt (a TestClient is an httpx client too)."""
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    return response.status_code, response.text


def test_a_disabled_user_cannot_log_in_and_their_sessions_end(served: Served) -> None:
    key = served.a.project.key
    aoife = served.client("aoife")
    assert aoife.get(f"/p/{key}").status_code == 200

    disabled = disable_user(served.a, "aoife")
    assert disabled.disabled and next(u for u in list_users(served.a) if u.name == "aoife").disabled
    ended = aoife.get(f"/p/{key}", follow_redirects=False)
    assert ended.status_code == 303, "the live session ended"
    assert ended.headers["location"] == f"/login?next=%2Fp%2F{key}", "back to the page after logging in"

    status, page = _try_login(served.client(), "aoife", PASSWORD)
    assert status == 401 and "this account is disabled" in page and "synthesist users enable" in page
    # without the password nobody learns that the account exists, let alone that it is disabled
    status, page = _try_login(served.client(), "aoife", "not the password")
    assert status == 401 and "wrong user name or password" in page and "disabled" not in page

    with pytest.raises(UserError, match="already disabled"):
        disable_user(served.a, "aoife")
    enable_user(served.a, "aoife")
    again = served.client("aoife")  # login() asserts the 303
    assert again.get(f"/p/{key}").status_code == 200
    with pytest.raises(UserError, match="already enabled"):
        enable_user(served.a, "aoife")
    types = [event.type for event in read_log(served.a)]
    assert types[-2:] == ["users.disabled", "users.enabled"]


def test_users_disable_and_enable_from_the_command_line(served: Served) -> None:
    runner = CliRunner()
    where = ["--project", str(served.a.project.root)]
    done = runner.invoke(cli, ["users", "disable", "lukasz", *where])
    assert done.exit_code == 0 and "Disabled lukasz" in done.output, done.output
    listed = runner.invoke(cli, ["users", "list", "--json", *where])
    assert re.search(r'"name": "lukasz",\s*"created_at": "[^"]+",\s*"disabled": true', listed.output)
    assert runner.invoke(cli, ["users", "disable", "lukasz", *where]).exit_code == 1
    missing = runner.invoke(cli, ["users", "disable", "nobody", *where])
    assert missing.exit_code != 0 and "no user named 'nobody'" in missing.output
    assert _try_login(served.client(), "lukasz", PASSWORD)[0] == 401
    enabled = runner.invoke(cli, ["users", "enable", "lukasz", *where])
    assert enabled.exit_code == 0 and "Enabled lukasz" in enabled.output
    login(served.client(), "lukasz")


def test_forwarded_allow_ips_become_uvicorn_proxy_settings() -> None:
    assert uvicorn_options(None) == {"proxy_headers": False}
    assert uvicorn_options("127.0.0.1, 10.0.0.0/8") == {
        "proxy_headers": True,
        "forwarded_allow_ips": ["127.0.0.1", "10.0.0.0/8"],
    }
    with pytest.raises(UserError, match="names no address"):
        uvicorn_options(" , ")
    help_text = CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"}).output
    assert "--forwarded-allow-ips" in help_text and "--forwarded-allow-ips 127.0.0.1" in help_text


@contextmanager
def _server(project: Path, *options: str) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).parent / "synthesist"), "serve", "--project", str(project)]
    server = subprocess.Popen(
        [*command, "--port", str(port), *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _fail_from(base: str, forwarded_for: str) -> int:
    with httpx.Client(base_url=base, headers={"X-Forwarded-For": forwarded_for}) as client:
        return _try_login(client, "olwen", "wrong password")[0]


def test_behind_a_trusted_proxy_the_rate_limit_counts_the_real_client_address(served: Served) -> None:
    with _server(served.a.project.root, "--forwarded-allow-ips", "127.0.0.1") as base:
        statuses = [_fail_from(base, "203.0.113.5") for _ in range(LOGIN_ATTEMPTS)]
        assert statuses == [401] * LOGIN_ATTEMPTS
        assert _fail_from(base, "203.0.113.5") == 429, "that client is refused now"
        assert _fail_from(base, "203.0.113.6") == 401, "another client behind the same proxy is not"


def test_without_the_option_forwarded_headers_are_ignored(served: Served) -> None:
    with _server(served.a.project.root) as base:
        # a client cannot dodge the limit by making up a new X-Forwarded-For for every attempt
        statuses = [_fail_from(base, f"198.51.100.{n}") for n in range(LOGIN_ATTEMPTS + 1)]
        assert statuses == [401] * LOGIN_ATTEMPTS + [429]
