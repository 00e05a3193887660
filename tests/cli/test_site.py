"""``synthesist site init|add|list|admin``, ``backup|restore --site``, and ``serve --site --workers 2``
(a real server: two uvicorn processes serving every review of the site, a review made after start
served at once)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.services.site import NewReview, create_review
from tests.site_helpers import PASSWORD, make_site, populate
from tests.web.conftest import csrf_of


def test_a_site_from_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    site = tmp_path / "site"
    made = runner.invoke(app, ["site", "init", str(site), "--name", "Evidence Unit"])
    assert made.exit_code == 0, made.output
    assert (site / "site.toml").is_file() and (site / "site.db").is_file()
    again = runner.invoke(app, ["site", "init", str(site)])
    assert again.exit_code != 0 and "already holds a site" in again.output
    admin = runner.invoke(
        app, ["site", "admin", "olwen", "--site", str(site), "--password-stdin"], input=f"{PASSWORD}\n"
    )
    assert admin.exit_code == 0 and "Added the account olwen" in admin.output, admin.output
    twice = runner.invoke(app, ["site", "admin", "olwen", "--site", str(site)])
    assert twice.exit_code != 0 and "already" in twice.output

    review = tmp_path / "old-review"
    assert runner.invoke(app, ["init", str(review), "--title", "Back pain partnerships"]).exit_code == 0
    where = ["--project", str(review)]
    for name in ("olwen", "ingrid"):  # olwen clashes with the site's account
        added = runner.invoke(app, ["users", "add", name, "--password-stdin", *where], input="other pass 1\n")
        assert added.exit_code == 0, added.output
    assert runner.invoke(app, ["members", "add", str(review), "ingrid", "--role", "owner"]).exit_code == 0
    moved = runner.invoke(app, ["site", "add", str(review), "--site", str(site)])
    assert moved.exit_code == 0, moved.output
    assert "Copied 1 account (ingrid) and 1 membership" in " ".join(moved.output.split())
    assert "olwen: the site has an account with this login already" in " ".join(moved.output.split())
    assert not review.exists()

    listed = json.loads(runner.invoke(app, ["site", "list", "--site", str(site), "--json"]).output)
    assert [r["title"] for r in listed["reviews"]] == ["Back pain partnerships"]
    assert listed["reviews"][0]["owners"] == ["ingrid"] and listed["administrators"] == ["olwen"]
    moved_to = site / listed["reviews"][0]["folder"]
    assert runner.invoke(app, ["status", "--project", str(moved_to)]).exit_code == 0  # the CLI works on it
    missing = runner.invoke(app, ["site", "list", "--site", str(tmp_path / "nowhere")])
    assert missing.exit_code != 0 and "not a Synthesist site" in missing.output

    archive = tmp_path / "site.tar.gz"
    backed = runner.invoke(app, ["backup", "--site", str(site), "-o", str(archive)])
    assert backed.exit_code == 0 and "1 review" in backed.output, backed.output
    shutil.rmtree(site)
    restored = runner.invoke(app, ["restore", str(archive), "--site", str(site)])
    assert restored.exit_code == 0, restored.output
    assert "1 review, 2 users" in " ".join(restored.output.split())
    relisted = json.loads(runner.invoke(app, ["site", "list", "--site", str(site), "--json"]).output)
    assert relisted["reviews"] == listed["reviews"]


def test_serve_site_with_two_worker_processes(tmp_path: Path) -> None:
    accounts = make_site(tmp_path / "site", None)
    try:
        key_a, _ = populate(accounts)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [str(Path(sys.executable).parent / "synthesist"), "serve", "--site", str(tmp_path / "site")]
        server = subprocess.Popen(
            [*command, "--workers", "2", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"{base}/login", timeout=1)
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            later = create_review(accounts, "aoife", NewReview("Made after the server started"))
            with httpx.Client(base_url=base, follow_redirects=True) as client:
                form = client.get("/login")
                logged = client.post(
                    "/login", data={"name": "aoife", "password": PASSWORD, "csrf_token": csrf_of(form.text)}
                )
                assert logged.status_code == 200 and "Exercise for knee pain" in logged.text
                # several requests: both processes answer, each finding the reviews in the registry
                for _ in range(6):
                    assert client.get(f"/p/{key_a}").status_code == 200
                    assert client.get(f"/p/{later.key}").status_code == 200
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        accounts.close()
