"""The log keeps who acted by login and shows them by display name (issue 19: "reports and logs show
display names"), on the web and in `synthesist log`."""

from __future__ import annotations

from synthesist.services.accounts.users import add_user, set_display_name
from synthesist.services.records.reading import actor_names, read_log
from synthesist.workspace import Workspace


def test_the_log_names_actors_by_display_name_and_keeps_their_login(workspace: Workspace) -> None:
    add_user(workspace, "aoife", "a long password", display_name="Aoife Brennan")
    add_user(workspace, "ingrid", "a long password")  # no display name: shown by login
    set_display_name(workspace.acting_as("aoife"), "aoife", "Aoife Brennan")
    events = read_log(workspace)
    assert any(event.actor == "aoife" for event in events), "the log itself keeps the login"
    names = actor_names(workspace)
    assert names == {"aoife": "Aoife Brennan"}
