"""The report as ONE self-contained HTML file: inline CSS, figures as inline SVG, no scripts and no
external requests, so it can be mailed or archived as is and prints cleanly (tables do not split
rows, figures do not split, links show as text).

Every piece of project text goes through :func:`html.escape` (tables through
:mod:`synthesist.reporting.tables`, with the same rule); figures are our own SVG, inserted after
dropping the XML prolog (which is not allowed inside HTML).
"""

from __future__ import annotations

import html
import re

from synthesist.reporting.report.model import (
    INTERIM_TITLE,
    Block,
    BulletList,
    Checklist,
    Figure,
    Heading,
    Paragraph,
    Quote,
    Report,
    Section,
    Table,
)
from synthesist.reporting.tables import html_notes, html_table

__all__ = ["render_html"]

_STYLE = """body { font-family: "DejaVu Sans", Arial, sans-serif; line-height: 1.45; margin: 2em auto;
  max-width: 62em; padding: 0 1em; color: #111; }
h1 { font-size: 1.7em; } h2 { border-bottom: 1px solid #bbb; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 0.4em 0; }
caption { caption-side: top; font-weight: bold; text-align: left; padding-bottom: 0.3em; }
th, td { border: 1px solid #999; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
th { background: #eee; }
.notes { font-size: 0.85em; font-style: italic; margin-bottom: 1.2em; }
.missing { border-left: 4px solid #d55e00; background: #fff4ec; padding: 0.4em 0.8em; }
.notice { border: 2px solid #0072b2; background: #eef6fb; padding: 0.6em 1em; margin: 1em 0; }
.interim { border: 2px solid #d55e00; background: #fff4ec; padding: 0.6em 1em; margin: 1em 0; }
.note { font-style: italic; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-style: italic; font-size: 0.9em; }
blockquote { border-left: 3px solid #999; margin: 0.5em 0 1em 0; padding: 0.2em 1em; }
.cite { font-size: 0.85em; color: #444; }
.todo { color: #a33; font-style: italic; }
@media print { body { max-width: none; margin: 0; } tr, figure, blockquote { page-break-inside: avoid; }
  h2, h3 { page-break-after: avoid; } a { color: inherit; text-decoration: none; } }"""

_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(report: Report) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(report.title)}</h1>",
        f'<p class="note">{_e(report.subtitle)}</p>',
    ]
    interim = report.interim_note()
    if interim:
        parts.append(f'<p class="interim"><strong>{_e(INTERIM_TITLE)}.</strong> {_e(interim)}</p>')
    if report.notice:
        notice = report.notice
        intro = "".join(f"<p>{_e(line)}</p>" for line in notice.intro)
        items = "".join(f"<li>{_e(line)}</li>" for line in notice.items)
        parts.append(f'<div class="notice"><strong>{_e(notice.title)}</strong>{intro}<ul>{items}</ul></div>')
    parts.append('<nav><h2 id="contents">Contents</h2><ul>')
    for top in report.sections:
        children = "".join(f'<li><a href="#{_e(c.id)}">{_e(c.title)}</a></li>' for c in top.children)
        nested = f"<ul>{children}</ul>" if children else ""
        parts.append(f'<li><a href="#{_e(top.id)}">{_e(top.title)}</a>{nested}</li>')
    parts.append("</ul></nav>")
    for section in report.sections:
        parts += _section(section, 2)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _section(section: Section, level: int) -> list[str]:
    tag = f"h{min(level, 6)}"
    parts = [f'<section id="{_e(section.id)}">', f"<{tag}>{_e(section.title)}</{tag}>"]
    for block in section.blocks:
        parts.append(_block(block, level))
    for child in section.children:
        parts += _section(child, level + 1)
    parts.append("</section>")
    return parts


def _block(block: Block, level: int) -> str:
    if isinstance(block, Heading):
        tag = f"h{min(level + 1, 6)}"
        anchor = f' id="{_e(block.anchor)}"' if block.anchor else ""
        return f"<{tag}{anchor}>{_e(block.text)}</{tag}>"
    if isinstance(block, Paragraph):
        if block.style == "missing":
            return f'<p class="missing"><strong>Not done yet.</strong> {_e(block.text)}</p>'
        css = ' class="note"' if block.style == "note" else ""
        return f"<p{css}>{_e(block.text)}</p>"
    if isinstance(block, BulletList):
        return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Quote):
        text = "<br>".join(_e(line) for line in block.text.splitlines())
        return f'<blockquote><p>{text}</p><p class="cite">— {_e(block.cite)}</p></blockquote>'
    if isinstance(block, Figure):
        anchor = f' id="{_e(block.anchor)}"' if block.anchor else ""
        svg = _PROLOG.sub("", block.svg, count=1)
        return f"<figure{anchor}>{svg}<figcaption>{_e(block.caption)}</figcaption></figure>"
    if isinstance(block, Checklist):
        return _table(block.as_table())
    return _table(block)


def _table(table: Table) -> str:
    # a checklist's locations are links to the sections that cover its items (cells of kind LINK)
    notes = html_notes(table)
    return html_table(table) + (f'\n<div class="notes">{"".join(notes)}</div>' if notes else "")
