"""Invitations and password-reset links: single-use, expiring, only the token's SHA-256 stored, each
use one transaction with what it does, every change logged; and e-mail through a real SMTP server."""

from __future__ import annotations

import hashlib
import socketserver
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from synthesist.errors import Conflict, LoginFailed, NotFound, UserError
from synthesist.review.accounts import InvitationState, Role
from synthesist.review.site import Site
from synthesist.services.accounts.invitations import (
    SignUp,
    accept_invitation,
    create_invitation,
    find_invitation,
    list_invitations,
    password_reset_link,
    reset_password,
    revoke_invitation,
)
from synthesist.services.accounts.mail import invitation_message, send_link
from synthesist.services.accounts.sessions import find_session, start_session
from synthesist.services.accounts.users import add_member, add_user, authenticate, members, role_of
from synthesist.services.records.reading import read_log
from synthesist.workspace import Accounts, Workspace

PASSWORD = "correct horse battery"


def _types(workspace: Workspace) -> list[str]:
    return [event.type for event in read_log(workspace)]


def test_a_review_invitation_signs_up_once_and_makes_a_member(workspace: Workspace) -> None:
    made = create_invitation(workspace, role=Role.REVIEWER, email="aoife@example.org", created_by="olwen")
    assert made.token and made.url("https://r.example.org/") == f"https://r.example.org/invite/{made.token}"
    stored = find_invitation(workspace, made.token)
    assert stored.token is None and stored.project_key == workspace.project.key
    assert stored.role is Role.REVIEWER and stored.state(stored.created_at) is InvitationState.OPEN
    with workspace.unit_of_work(write=False) as uow:  # only the digest is kept
        assert uow.invitations.find(hashlib.sha256(made.token.encode()).hexdigest()) is not None
        assert uow.invitations.find(made.token) is None

    account = accept_invitation(
        workspace,
        made.token,
        sign_up=SignUp("aoife.brennan", PASSWORD, display_name="Aoife Brennan", email="aoife@example.org"),
    )
    assert (account.name, account.display_name, account.email) == (
        "aoife.brennan",
        "Aoife Brennan",
        "aoife@example.org",
    )
    assert role_of(workspace, "aoife.brennan") is Role.REVIEWER
    assert authenticate(workspace, "aoife.brennan", PASSWORD, address="t").name == "aoife.brennan"
    log = _types(workspace)
    for expected in ("invitations.created", "users.added", "members.added", "invitations.accepted"):
        assert expected in log

    with pytest.raises(Conflict, match="used already"):
        accept_invitation(workspace, made.token, sign_up=SignUp("someone", PASSWORD))
    assert find_invitation(workspace, made.token).used_by == "aoife.brennan"
    with pytest.raises(NotFound, match="not valid"):
        find_invitation(workspace, "no-such-token")


def test_a_failed_sign_up_writes_nothing_and_leaves_the_link_usable(workspace: Workspace) -> None:
    add_user(workspace, "taken", PASSWORD)
    made = create_invitation(workspace, role=Role.VIEWER)
    assert made.token
    before = len(read_log(workspace))
    with pytest.raises(Conflict, match="exists already"):
        accept_invitation(workspace, made.token, sign_up=SignUp("taken", PASSWORD))
    with pytest.raises(UserError, match="at least 8"):
        accept_invitation(workspace, made.token, sign_up=SignUp("new", "short"))
    with pytest.raises(UserError, match="not an e-mail"):
        accept_invitation(workspace, made.token, sign_up=SignUp("new", PASSWORD, email="nope"))
    assert len(read_log(workspace)) == before
    assert find_invitation(workspace, made.token).used_at is None
    accept_invitation(workspace, made.token, sign_up=SignUp("new", PASSWORD))
    assert role_of(workspace, "new") is Role.VIEWER


def test_expired_and_withdrawn_links_are_refused_saying_why(workspace: Workspace) -> None:
    old = create_invitation(workspace, role=Role.REVIEWER, lifetime=timedelta(seconds=-1))
    assert old.token
    with pytest.raises(Conflict, match="expired"):
        accept_invitation(workspace, old.token, sign_up=SignUp("late", PASSWORD))
    withdrawn = create_invitation(workspace, role=Role.REVIEWER)
    assert withdrawn.token
    revoke_invitation(workspace, withdrawn.id)
    with pytest.raises(Conflict, match="withdrawn"):
        accept_invitation(workspace, withdrawn.token, sign_up=SignUp("late", PASSWORD))
    with pytest.raises(Conflict):
        revoke_invitation(workspace, withdrawn.id)
    assert "invitations.revoked" in _types(workspace)
    states = {i.id: i.state(i.created_at + timedelta(seconds=1)) for i in list_invitations(workspace)}
    assert states[withdrawn.id] is InvitationState.REVOKED


def test_a_signed_in_member_keeps_the_higher_role(workspace: Workspace) -> None:
    add_user(workspace, "olwen", PASSWORD)
    add_member(workspace, "olwen", Role.OWNER)
    made = create_invitation(workspace, role=Role.VIEWER)
    assert made.token
    accept_invitation(workspace, made.token, user="olwen")
    assert role_of(workspace, "olwen") is Role.OWNER
    add_user(workspace, "ingrid", PASSWORD)
    up = create_invitation(workspace, role=Role.REVIEWER)
    assert up.token
    accept_invitation(workspace, up.token, user="ingrid")
    assert role_of(workspace, "ingrid") is Role.REVIEWER


def test_a_site_invitation_makes_an_account_and_no_member(workspace: Workspace) -> None:
    accounts: Accounts = workspace.accounts
    with pytest.raises(UserError, match="needs a role"):
        create_invitation(workspace, role=None)
    with pytest.raises(UserError, match="gives no role"):
        create_invitation(accounts, role=Role.OWNER)
    made = create_invitation(accounts, role=None)
    assert made.token and made.project_key is None
    accept_invitation(accounts, made.token, sign_up=SignUp("guest", PASSWORD))
    assert [m.user for m in members(workspace)] == []
    assert list_invitations(workspace) == [], "the review's list leaves out the site's invitations"
    assert [i.id for i in list_invitations(accounts)] == [made.id]


def test_a_reset_link_sets_the_password_once_and_ends_sessions(workspace: Workspace) -> None:
    user = add_user(workspace, "aoife", PASSWORD)
    session = start_session(workspace, user.id)
    link = password_reset_link(workspace, "aoife")
    assert link.token and link.path.startswith("/reset/") and link.reset_user == "aoife"
    assert link.expires_at - link.created_at <= timedelta(days=1, seconds=5)
    with pytest.raises(UserError, match="not an invitation"):
        accept_invitation(workspace, link.token, sign_up=SignUp("x", PASSWORD))
    reset_password(workspace, link.token, "a brand new password")
    assert find_session(workspace, session) is None
    with pytest.raises(LoginFailed):
        authenticate(workspace, "aoife", PASSWORD, address="t")
    assert authenticate(workspace, "aoife", "a brand new password", address="t").name == "aoife"
    with pytest.raises(Conflict, match="used already"):
        reset_password(workspace, link.token, "another password")
    assert {"users.reset_link_made", "users.password_changed"} <= set(_types(workspace))


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every message received is kept in ``server.messages``."""

    def handle(self) -> None:
        self.wfile.write(b"220 test\r\n")
        data: list[bytes] = []
        in_data = False
        for line in self.rfile:
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    self.server.messages.append(b"".join(data).decode())  # type: ignore[attr-defined]
                    self.wfile.write(b"250 ok\r\n")
                else:
                    data.append(line)
                continue
            command = line[:4].upper()
            if command == b"DATA":
                in_data, data = True, []
                self.wfile.write(b"354 go\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[str]]]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.messages = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.messages  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_an_invitation_is_emailed_when_smtp_is_set_up(
    workspace: Workspace, smtp_server: tuple[int, list[str]], tmp_path: Path
) -> None:
    port, received = smtp_server
    made = create_invitation(workspace, role=Role.REVIEWER, email="aoife@example.org", created_by="olwen")
    url = made.url("https://r.example.org")
    subject, text = invitation_message("Reviews", made, url)
    site = Site(tmp_path, "Reviews", smtp={"host": "127.0.0.1", "port": port, "security": "none"})
    outcome = send_link(site, made.email, subject, text)
    assert outcome.sent, outcome.message
    assert len(received) == 1 and url in received[0] and "olwen invites you" in received[0]
    assert not send_link(None, made.email, subject, text).sent, "no [smtp]: the link is shown instead"
    refused = send_link(
        Site(tmp_path, "R", smtp={"host": "127.0.0.1", "port": 1, "security": "none"}), "a@b.c", "s", "t"
    )
    assert not refused.sent and "could not be sent" in refused.message
