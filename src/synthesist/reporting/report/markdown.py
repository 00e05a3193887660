"""The report as Markdown: deterministic text (the golden-file tests compare it byte for byte).

Every section gets an ``<a id>`` before its heading so that links such as ``#theme-communication``
work on GitHub and in most converters; text is escaped by :func:`synthesist.reporting.tables.markdown_text`
(the one Markdown escaping rule, the tables' too) so a pipe in a study's title cannot break a table.
"""

from __future__ import annotations

from synthesist.reporting.report.model import (
    INTERIM_TITLE,
    Block,
    BulletList,
    Checklist,
    Figure,
    Heading,
    Notice,
    Paragraph,
    Quote,
    Report,
    Section,
)
from synthesist.reporting.tables import markdown_table
from synthesist.reporting.tables import markdown_text as esc

__all__ = ["render_markdown"]


def render_markdown(report: Report) -> str:
    lines = [f"# {esc(report.title)}", "", f"_{esc(report.subtitle)}_", ""]
    interim = report.interim_note()
    if interim:
        lines += [f"> **{INTERIM_TITLE}.** {esc(interim)}", ""]
    if report.notice:
        lines += [f"> {line}" if line else ">" for line in _notice(report.notice)] + [""]
    lines += ["## Contents", ""]
    for top in report.sections:
        lines.append(f"- [{esc(top.title)}](#{top.id})")
        lines += [f"  - [{esc(child.title)}](#{child.id})" for child in top.children]
    lines.append("")
    for section in report.sections:
        lines += _section(section, 2)
    return "\n".join(lines).rstrip("\n") + "\n"


def _notice(notice: Notice) -> list[str]:
    out = [f"**{esc(notice.title)}**", ""]
    for paragraph in notice.intro:
        out += [esc(paragraph), ""]
    return out + [f"- {esc(item)}" for item in notice.items]


def _section(section: Section, level: int) -> list[str]:
    lines = [f'<a id="{section.id}"></a>', "", f"{'#' * min(level, 6)} {esc(section.title)}", ""]
    for block in section.blocks:
        lines += _block(block, level)
    for child in section.children:
        lines += _section(child, level + 1)
    return lines


def _block(block: Block, level: int) -> list[str]:
    if isinstance(block, Heading):
        anchor = [f'<a id="{block.anchor}"></a>', ""] if block.anchor else []
        return [*anchor, f"{'#' * min(level + 1, 6)} {esc(block.text)}", ""]
    if isinstance(block, Paragraph):
        if block.style == "missing":
            return [f"> **Not done yet.** {esc(block.text)}", ""]
        return [f"_{esc(block.text)}_" if block.style == "note" else esc(block.text), ""]
    if isinstance(block, BulletList):
        return [*(f"- {esc(item)}" for item in block.items), ""]
    if isinstance(block, Quote):
        quoted = [f"> {esc(line)}" if line else ">" for line in block.text.splitlines()]
        return [*quoted, ">", f"> — {esc(block.cite)}", ""]
    if isinstance(block, Figure):
        anchor = [f'<a id="{block.anchor}"></a>', ""] if block.anchor else []
        return [
            *anchor,
            f"![{esc(block.caption)}](figures/{block.file_name})",
            "",
            f"*{esc(block.caption)}*",
            "",
        ]
    if isinstance(block, Checklist):
        return markdown_table(block.as_table())
    return markdown_table(block)
