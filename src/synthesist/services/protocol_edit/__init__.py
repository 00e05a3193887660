"""Editing review.toml from the browser: one section at a time, checked with the CLI's own messages,
written atomically with its comments kept, and logged as ``protocol.edited``.

- :mod:`.editing`: :func:`edit_protocol` (the one way Synthesist writes the protocol);
- :mod:`.document`: tomlkit edits that touch only what changed;
- :mod:`.forms`: the protocol page's sections, from form inputs to an edit;
- :mod:`.duties`: who screens, extracts, appraises and codes (:func:`set_duties`);
- :mod:`.reload`: the web app's protocol kept current across processes (:func:`current_project`).
"""

from __future__ import annotations

from synthesist.services.protocol_edit.duties import DUTIES, duties_of, set_all_duties, set_duties
from synthesist.services.protocol_edit.editing import edit_protocol, field_problems, section_version
from synthesist.services.protocol_edit.reload import current_project

__all__ = [
    "DUTIES",
    "current_project",
    "duties_of",
    "edit_protocol",
    "field_problems",
    "section_version",
    "set_all_duties",
    "set_duties",
]
