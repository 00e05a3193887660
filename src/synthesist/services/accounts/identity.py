"""One identity: the name a person acts under in a review, from their account.

A review's protocol lists its reviewers by name ("Aoife Brennan"); an account has a login ("aoife"
or "aoife.brennan") and a display name. Whoever acts through an account — in the web app, or on the
command line with ``--as``/``--reviewer`` giving the login — is recorded under the protocol's own
spelling, so decisions, codings and events keep one author whichever way they were made. Kept apart
from :mod:`users` (which loads the password hasher) because every command resolves its actor here.
"""

from __future__ import annotations

import re
import unicodedata

from synthesist.review.accounts import UserAccount
from synthesist.workspace import Workspace

__all__ = ["acting_name", "login_slug", "protocol_people", "resolve_actor"]


def protocol_people(workspace: Workspace) -> dict[str, str]:
    """Every person the protocol names as a reviewer, extractor, appraiser or coder, by their
    case-folded name, with the protocol's spelling (the first list naming them wins)."""
    protocol = workspace.project.protocol
    lists = (
        protocol.screening.title_abstract.reviewers,
        protocol.screening.full_text.reviewers,
        protocol.extraction.reviewers,
        protocol.appraisal.reviewers,
        getattr(protocol.synthesis, "coders", []),
    )
    found: dict[str, str] = {}
    for names in lists:
        for name in names:
            found.setdefault(name.casefold(), name)
    return found


def acting_name(workspace: Workspace, account: UserAccount) -> str:
    """The name a member acts under in this project, the one their decisions, answers and codings are
    recorded with: the protocol's own spelling when one of its reviewer lists names them, by login or by
    display name (the worked example lists "Aoife Brennan", who logs in as "aoife"); otherwise their
    display name, or their login."""
    listed = protocol_people(workspace)
    for candidate in (account.name, account.display_name):
        if candidate and candidate.casefold() in listed:
            return listed[candidate.casefold()]
    return account.shown_name


def resolve_actor(workspace: Workspace) -> Workspace:
    """The workspace acting under its actor's acting name when the actor is an account's login
    (``--as aoife`` acts as "Aoife Brennan"); unchanged when no account has that login."""
    with workspace.accounts.unit_of_work(write=False) as uow:
        account = uow.users.find(workspace.actor)
    if account is None:
        return workspace
    name = acting_name(workspace, account)
    return workspace if name == workspace.actor else workspace.acting_as(name)


# Letters that Unicode does not decompose into a base letter and an accent.
_SPELLED_OUT = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)


def login_slug(name: str) -> str:
    """A login made from a person's name: "Aoife Brennan" → "aoife.brennan", "Łukasz Nowak" →
    "lukasz.nowak", "Ingrid Östlund-Berg" → "ingrid.ostlund-berg"."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_SPELLED_OUT))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    dotted = re.sub(r"[^a-z0-9_-]+", ".", plain).strip(".-_")
    return re.sub(r"\.{2,}", ".", dotted) or "reviewer"
