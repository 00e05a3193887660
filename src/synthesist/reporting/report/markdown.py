"""The report as Markdown: deterministic text (the golden-file tests compare it byte for byte).

Every section gets an ``<a id>`` before its heading so that links such as ``#theme-communication``
work on GitHub and in most converters; text is escaped with the matrix's own escaper so a pipe in a
study's title cannot break a table.
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
    Table,
)
from synthesist.synthesis.matrix import markdown_text as esc

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
        return _table(block.as_table())
    return _table(block)


def _table(table: Table) -> list[str]:
    anchor = [f'<a id="{table.anchor}"></a>', ""] if table.anchor else []
    lines = [*anchor, f"**{esc(table.title)}**", ""]
    lines.append("| " + " | ".join(esc(cell) for cell in table.header) + " |")
    lines.append("|" + "---|" * len(table.header))
    lines += ["| " + " | ".join(esc(cell) for cell in row) + " |" for row in table.rows]
    lines.append("")
    for note in table.notes:
        lines += [f"_{esc(note)}_", ""]
    return lines
