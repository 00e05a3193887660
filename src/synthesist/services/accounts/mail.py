"""Invitations and reset links by e-mail, through the SMTP server ``site.toml``'s ``[smtp]`` names.

Without ``[smtp]`` nothing is sent and the page shows the link to copy. With it, the message is sent
from a worker thread and the request waits at most :data:`WAIT_SECONDS`: a slow or unreachable mail
server never holds a page for longer (the link is shown either way, so nothing depends on the mail).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from email.message import EmailMessage

from synthesist.review.accounts import Invitation
from synthesist.review.site import Site

__all__ = ["WAIT_SECONDS", "MailOutcome", "invitation_message", "send_link"]

WAIT_SECONDS = 4.0  # how long a request waits for the mail server before showing the link anyway
CONNECT_TIMEOUT = 10.0  # the worker thread gives up on a mail server that does not answer

_sending = ThreadPoolExecutor(2, thread_name_prefix="smtp")


@dataclass(frozen=True)
class MailOutcome:
    sent: bool
    message: str  # what the page says: sent to whom, why not, or that it may still go out


def invitation_message(site_name: str, invitation: Invitation, url: str) -> tuple[str, str]:
    """The subject and text of the e-mail carrying a link."""
    if invitation.is_reset:
        subject = f"Set your password for {site_name}"
        what = "set a password for your account"
    elif invitation.project_key is not None:
        title = invitation.project_title or invitation.project_key
        role = invitation.role.value if invitation.role is not None else "member"
        subject = f"Invitation to the review {title}"
        what = f"join the review {title!r} as {role}"
    else:
        subject = f"Invitation to {site_name}"
        what = f"create your account on {site_name}"
    text = (
        f"Hello,\n\n{invitation.created_by} invites you to {what}.\n\n"
        f"Open this link (it works once, until {invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n\n"
        f"{url}\n\nIf you did not expect this message, you can ignore it.\n"
    )
    return subject, text


def send_link(site: Site | None, to: str | None, subject: str, text: str) -> MailOutcome:
    """Send ``text`` to ``to`` when the site has an SMTP server; never waits longer than
    :data:`WAIT_SECONDS`."""
    if not to:
        return MailOutcome(False, "no e-mail address was given: copy the link and send it yourself")
    if site is None or not site.smtp:
        return MailOutcome(False, "e-mail is not set up ([smtp] in site.toml): copy the link and send it")
    future = _sending.submit(_send, dict(site.smtp), to, subject, text)
    try:
        future.result(timeout=WAIT_SECONDS)
    except FutureTimeout:
        return MailOutcome(
            False, f"the mail server has not answered yet; the message to {to} may still go out"
        )
    except (OSError, smtplib.SMTPException) as error:
        return MailOutcome(False, f"the e-mail to {to} could not be sent ({error}); copy the link instead")
    return MailOutcome(True, f"sent to {to}")


def _send(smtp: dict[str, object], to: str, subject: str, text: str) -> None:
    host = str(smtp["host"])
    port = int(str(smtp.get("port", 587)))
    sender = str(smtp.get("from") or smtp.get("user") or f"synthesist@{host}")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    security = str(smtp.get("security", "ssl" if port == 465 else "starttls" if port == 587 else "none"))
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if security == "ssl":
        client = smtplib.SMTP_SSL(host, port, timeout=CONNECT_TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=CONNECT_TIMEOUT)
    with client:
        if security == "starttls":
            client.starttls(context=context)
        user = smtp.get("user")
        password_env = smtp.get("password_env")
        if user and password_env:
            client.login(str(user), os.environ.get(str(password_env), ""))
        client.send_message(message)
