"""The reporting checklists (PRISMA 2020, ENTREQ) as data files, and filling in where the report
covers each item. An item counts as covered only when a section it names is in the report and says
something done (no "not done yet" paragraph), so the checklist never points at an empty section."""

from __future__ import annotations

import tomllib
from importlib import resources

from synthesist.reporting.report.model import Checklist, ChecklistItem, Paragraph, Report

__all__ = ["CHECKLISTS", "fill_checklist"]

CHECKLISTS = ("prisma2020", "entreq")


def fill_checklist(name: str, report: Report, anchor: str | None = None) -> Checklist:
    text = (
        resources.files("synthesist.reporting.report")
        .joinpath("checklists", f"{name}.toml")
        .read_text("utf-8")
    )
    data = tomllib.loads(text)
    items = []
    for item in data["items"]:
        location, target = None, None
        for section_id in item.get("sections", []):
            section = report.find(section_id)
            if section is None or any(
                isinstance(b, Paragraph) and b.style == "missing" for b in section.blocks
            ):
                continue
            location, target = section.title, section.id
            break
        items.append(ChecklistItem(item["number"], item["topic"], item["text"], location, target))
    return Checklist(data["name"], data["citation"], tuple(items), anchor)
