"""Reviewer duties: who screens, extracts, appraises and codes, written in the protocol's lists.

The protocol names the people of each stage (``[screening.title_abstract] reviewers``, ...,
``[synthesis] coders``); a member acts under the name a list gives them (see
:func:`synthesist.services.accounts.users.acting_name`), matched by login or display name. So giving a
member a duty writes the spelling a list already uses for them, else their display name; and names
that match no account (someone who has not signed up yet) stay in the list until they are unticked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import tomlkit

from synthesist.errors import UserError
from synthesist.review.project import Project
from synthesist.review.protocol import Protocol
from synthesist.services.accounts.users import list_users, members
from synthesist.services.protocol_edit.document import put, table_at
from synthesist.services.protocol_edit.editing import edit_protocol
from synthesist.workspace import Workspace

__all__ = ["DUTIES", "Duty", "DutyMember", "duties_of", "set_all_duties", "set_duties"]

# stage -> what the page calls it, and the list in review.toml that holds its people
DUTIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "title_abstract": ("Screening titles and abstracts", ("screening", "title_abstract", "reviewers")),
    "full_text": ("Screening full texts", ("screening", "full_text", "reviewers")),
    "extraction": ("Data extraction", ("extraction", "reviewers")),
    "appraisal": ("Quality appraisal", ("appraisal", "reviewers")),
    "coding": ("Coding", ("synthesis", "coders")),
}


@dataclass(frozen=True)
class DutyMember:
    login: str
    shown: str  # the display name, else the login
    role: str


@dataclass(frozen=True)
class Duty:
    stage: str
    label: str
    listed: tuple[str, ...]  # the protocol's list as written
    ticked: frozenset[str]  # the logins of the members it lists
    others: tuple[str, ...]  # names it lists that are no member's


def _listed(protocol: Protocol, stage: str) -> list[str]:
    lists = {
        "title_abstract": protocol.screening.title_abstract.reviewers,
        "full_text": protocol.screening.full_text.reviewers,
        "extraction": protocol.extraction.reviewers,
        "appraisal": protocol.appraisal.reviewers,
        "coding": protocol.synthesis.coders,
    }
    return list(lists[stage])


def _team(workspace: Workspace) -> list[DutyMember]:
    accounts = {user.name: user for user in list_users(workspace)}
    team = []
    for membership in members(workspace):
        account = accounts.get(membership.user)
        shown = account.shown_name if account is not None else membership.user
        team.append(DutyMember(membership.user, shown, membership.role))
    return sorted(team, key=lambda member: member.shown.casefold())


def _spelling(member: DutyMember, listed: Sequence[str]) -> str | None:
    """The name ``listed`` gives the member (by login or display name), if it lists them."""
    keys = {member.login.casefold(), member.shown.casefold()}
    return next((name for name in listed if name.casefold() in keys), None)


def duties_of(workspace: Workspace) -> tuple[list[DutyMember], list[Duty]]:
    """The review's members, and for each duty who has it."""
    team = _team(workspace)
    found = []
    for stage, (label, _) in DUTIES.items():
        listed = _listed(workspace.project.protocol, stage)
        ticked = frozenset(member.login for member in team if _spelling(member, listed) is not None)
        spelled = {_spelling(member, listed) for member in team}
        found.append(Duty(stage, label, tuple(listed), ticked, tuple(n for n in listed if n not in spelled)))
    return team, found


def set_duties(workspace: Workspace, stage: str, names: Sequence[str]) -> Project:
    """Give ``stage``'s duty to exactly ``names``: members' logins (written as the list already spells
    them, else by display name), or names the list holds already, or new names as given."""
    return set_all_duties(workspace, {stage: names})


def set_all_duties(
    workspace: Workspace, chosen: Mapping[str, Sequence[str]], *, expected_version: str | None = None
) -> Project:
    """:func:`set_duties` for several stages in one edit of review.toml (one ``protocol.edited``)."""
    unknown = sorted(set(chosen) - set(DUTIES))
    if unknown:
        raise UserError(
            f"there is no duty {unknown[0]!r}",
            hint=f"Duties: {', '.join(DUTIES)}.",
        )
    team = _team(workspace)
    lists = {
        stage: _names(team, _listed(workspace.project.protocol, stage), names)
        for stage, names in chosen.items()
    }

    def change(document: tomlkit.TOMLDocument) -> None:
        for stage, names in lists.items():
            *table, key = DUTIES[stage][1]
            put(table_at(document, *table), key, names, [])

    return edit_protocol(workspace, "duties", change, expected_version=expected_version)


def _names(team: Sequence[DutyMember], listed: Sequence[str], names: Sequence[str]) -> list[str]:
    by_login = {member.login.casefold(): member for member in team}
    chosen: list[str] = []
    for name in (name.strip() for name in names):
        if not name:
            continue
        member = by_login.get(name.casefold())
        if member is not None:
            name = _spelling(member, listed) or member.shown
        else:
            name = next((entry for entry in listed if entry.casefold() == name.casefold()), name)
        if name.casefold() not in {known.casefold() for known in chosen}:
            chosen.append(name)
    # the list's own order first (its diff stays small), then the newly given names
    kept = [entry for entry in listed if entry in chosen]
    return kept + [name for name in chosen if name not in kept]
