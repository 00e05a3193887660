"""The members page's read model: each member with their role and reviewer duties, and the review's
invitations; and the administrators' list of users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from synthesist.review.accounts import Invitation, Role, UserAccount
from synthesist.services.accounts.identity import acting_name
from synthesist.services.accounts.invitations import list_invitations
from synthesist.workspace import Accounts, Workspace

__all__ = ["DUTY_STAGES", "MemberRow", "MembersPage", "members_page", "users_page"]

# The stages a reviewer can have a duty in, as the protocol lists them (label, list)
DUTY_STAGES = ("title/abstract", "full text", "extraction", "appraisal", "coding")


@dataclass(frozen=True)
class MemberRow:
    login: str
    shown: str  # the name they act under here
    email: str | None
    role: Role
    duties: tuple[str, ...]  # the stages whose reviewer list names them


@dataclass(frozen=True)
class MembersPage:
    members: list[MemberRow]
    invitations: list[Invitation]
    now: datetime


def _duty_lists(workspace: Workspace) -> dict[str, set[str]]:
    protocol = workspace.project.protocol
    lists = (
        protocol.screening.title_abstract.reviewers,
        protocol.screening.full_text.reviewers,
        protocol.extraction.reviewers,
        protocol.appraisal.reviewers,
        getattr(protocol.synthesis, "coders", []),
    )
    return {
        stage: {name.casefold() for name in names} for stage, names in zip(DUTY_STAGES, lists, strict=True)
    }


def members_page(workspace: Workspace, *, with_invitations: bool) -> MembersPage:
    with workspace.accounts.unit_of_work(write=False) as uow:
        memberships = uow.users.members()
        accounts = {account.name: account for account in uow.users.list()}
    duty_lists = _duty_lists(workspace)
    rows = []
    for membership in memberships:
        account = accounts[membership.user]
        shown = acting_name(workspace, account)
        names = {shown.casefold(), account.name.casefold()}
        duties = tuple(stage for stage, listed in duty_lists.items() if names & listed)
        rows.append(MemberRow(account.name, shown, account.email, Role(membership.role), duties))
    invitations = list_invitations(workspace) if with_invitations else []
    return MembersPage(rows, invitations, datetime.now(UTC))


def users_page(accounts: Accounts) -> tuple[list[UserAccount], list[Invitation], datetime]:
    """Every account, and the invitations to the site, for the administrators' page."""
    with accounts.unit_of_work(write=False) as uow:
        users = uow.users.list()
    return users, list_invitations(accounts), datetime.now(UTC)
