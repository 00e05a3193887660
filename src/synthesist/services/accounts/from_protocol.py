"""``users from-protocol``: the people a protocol names become accounts, so its names are logins.

Each reviewer, extractor, appraiser or coder named in ``review.toml`` is matched to an account — by
login, by display name, or by the login this would make for them — or gets a new one: login a slug
of the name ("aoife.brennan"), display name the name as written, no password (a single-use reset link
to set one). Each is made a reviewer of the review unless already a member. Since the display name
is the protocol's spelling, the account acts under exactly the name every earlier decision, coding
and event was recorded with: nothing is renamed, nothing loses its author.
"""

from __future__ import annotations

from dataclasses import dataclass

from synthesist.events import MemberAdded
from synthesist.review.accounts import Invitation, Role, UserAccount
from synthesist.services.accounts.identity import login_slug, protocol_people
from synthesist.services.accounts.invitations import reset_link_in
from synthesist.services.accounts.users import new_account
from synthesist.workspace import Workspace

__all__ = ["NO_PASSWORD", "PersonAccount", "accounts_from_protocol"]

# Not an argon2 hash: no password matches it (verification refuses the format), so the account can
# only be opened through a reset link.
NO_PASSWORD = "!no-password"


@dataclass(frozen=True)
class PersonAccount:
    name: str  # as the protocol spells it
    login: str
    created: bool  # a new account (else matched to an existing one)
    made_member: bool  # made a reviewer now (else a member already)
    reset_link: Invitation | None = None  # for a new account: the link to set a password (token known)


def _match(name: str, accounts: list[UserAccount]) -> UserAccount | None:
    wanted = name.casefold()
    slug = login_slug(name)
    for account in accounts:
        if account.name.casefold() == wanted or (account.display_name or "").casefold() == wanted:
            return account
    return next((account for account in accounts if account.name == slug), None)


def accounts_from_protocol(workspace: Workspace, *, dry_run: bool = False) -> list[PersonAccount]:
    """Match or create an account for every person the protocol names, and make them reviewers (one
    transaction; with ``dry_run`` only say what would be done)."""
    people = list(protocol_people(workspace).values())
    found: list[PersonAccount] = []
    with workspace.accounts.unit_of_work(write=not dry_run) as uow:
        accounts = uow.users.list()
        members = {m.user for m in uow.users.members()}
        taken = {account.name for account in accounts}
        for name in people:
            account = _match(name, accounts)
            created = account is None
            login = account.name if account is not None else _free_login(login_slug(name), taken)
            taken.add(login)
            made_member = login not in members
            link = None
            if not dry_run:
                if account is None:
                    account = new_account(uow, workspace.actor, login, NO_PASSWORD, display_name=name)
                    accounts.append(account)
                    link = reset_link_in(uow, workspace.actor, account)
                if made_member:
                    uow.users.set_member(account.id, Role.REVIEWER.value, by=workspace.actor)
                    uow.events.append(MemberAdded(login, Role.REVIEWER.value, None), workspace.actor)
                    members.add(login)
            found.append(PersonAccount(name, login, created, made_member, link))
        if not dry_run:
            uow.commit()
    return found


def _free_login(slug: str, taken: set[str]) -> str:
    login, number = slug, 2
    while login in taken:
        login, number = f"{slug}{number}", number + 1
    return login
