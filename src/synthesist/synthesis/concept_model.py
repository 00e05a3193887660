"""The conceptual model of a synthesis (the reference review's Figure 2), as data and as a figure.

Nodes are the analytical themes, and *outcomes* that are not themes (e.g. "Self-management": what
the themes lead to, not something coded). Links are typed and may carry a label: "Effective
communication *is foundation of* Mutual understanding". The types are a closed list
(:data:`RELATION_TYPES`), so the figure can draw each the same way every time and say in its
caption what each line means.

A model is written by the CLI one link at a time or loaded from a TOML file::

    [[model.outcomes]]
    name = "Self-management"
    description = "Patients' ability to self-manage chronic back pain"

    [[model.relationships]]
    from = "Effective communication"
    to = "Mutual understanding"
    type = "is foundation of"
    label = "develops mutual understanding and trust"

Names are themes' names (any case) or the file's outcomes; a mistake is reported with the file and
line. The figure is drawn by Graphviz (``dot``) from DOT source that this module writes
deterministically (a golden file pins it): each theme's node links to the theme's evidence in the
report (``#theme-<slug>``) and says in its tooltip how many studies the theme rests on.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import graphviz

from synthesist.errors import UserError
from synthesist.synthesis.evidence import theme_anchor
from synthesist.synthesis.matrix import theme_slug
from synthesist.synthesis.model import Theme, ThemeLevel
from synthesist.toml_lines import find_key_line, key_lines

__all__ = [
    "FIGURE_FORMATS",
    "RELATION_TYPES",
    "ConceptModel",
    "FileLink",
    "FileOutcome",
    "Link",
    "ModelFile",
    "ModelNode",
    "NodeRef",
    "Outcome",
    "RelationType",
    "build_model",
    "model_dot",
    "model_file_text",
    "parse_model_file",
    "relation_type",
    "render_model",
    "resolve_names",
]

FIGURE_FORMATS = ("svg", "png", "pdf", "dot")
_FONT = "DejaVu Sans"  # the font the project's other figures use (scripts/ensure_system_packages.sh)


@dataclass(frozen=True, slots=True)
class RelationType:
    id: str  # stored: "is-foundation-of"
    words: str  # shown: "is foundation of"
    style: str  # Graphviz edge style
    arrowhead: str
    penwidth: str
    line: str  # the caption's words for the line: "bold line"


RELATION_TYPES: dict[str, RelationType] = {
    t.id: t
    for t in (
        RelationType("is-foundation-of", "is foundation of", "bold", "normal", "2.5", "bold line"),
        RelationType("leads-to", "leads to", "solid", "normal", "1.2", "solid line"),
        RelationType("supports", "supports", "solid", "empty", "1.2", "open arrowhead"),
        RelationType("influences", "influences", "dashed", "normal", "1.2", "dashed line"),
        RelationType("is-part-of", "is part of", "dotted", "diamond", "1.2", "dotted line, diamond"),
        RelationType("hinders", "hinders", "dashed", "tee", "1.2", "dashed line, bar"),
    )
}


def relation_type(text: str) -> RelationType:
    """The type ``text`` names ("leads to", "leads-to", "Leads_To"), or an error listing the types."""
    key = "-".join(text.replace("_", " ").replace("-", " ").split()).casefold()
    if key in RELATION_TYPES:
        return RELATION_TYPES[key]
    known = ", ".join(f'"{t.words}"' for t in RELATION_TYPES.values())
    raise UserError(f"{text!r} is not a type of relationship", hint=f"Types: {known}.")


# -- the model as stored -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    id: int
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class NodeRef:
    """One end of a link: a theme or an outcome (exactly one of the two)."""

    theme_id: int | None = None
    outcome_id: int | None = None


@dataclass(frozen=True, slots=True)
class Link:
    id: int
    source: NodeRef
    target: NodeRef
    type: str  # a key of RELATION_TYPES
    label: str = ""


@dataclass(frozen=True, slots=True)
class ModelNode:
    key: str  # the DOT node id: "theme_effective_communication", "outcome_self_management"
    name: str
    kind: str  # "theme" or "outcome"
    tooltip: str
    url: str | None  # the theme's evidence anchor


@dataclass(frozen=True, slots=True)
class ModelEdge:
    source: str  # node keys
    target: str
    type: RelationType
    label: str


@dataclass(frozen=True)
class ConceptModel:
    nodes: tuple[ModelNode, ...]
    edges: tuple[ModelEdge, ...]


def build_model(
    themes: Sequence[Theme],
    outcomes: Sequence[Outcome],
    links: Sequence[Link],
    counts: Mapping[int, str],
) -> ConceptModel:
    """The model to draw: every analytical theme (in display order), every outcome, every link.
    ``counts``: theme id -> "8 of 10 studies", for the tooltips."""
    nodes: dict[tuple[str, int], ModelNode] = {}
    analytical = sorted(
        (t for t in themes if t.level is ThemeLevel.ANALYTICAL), key=lambda t: (t.position, t.id)
    )
    linked = {
        ref.theme_id for link in links for ref in (link.source, link.target) if ref.theme_id is not None
    }
    by_id = {theme.id: theme for theme in themes}
    # a descriptive theme gets a node only when a link names it (the CLI refuses that; a file too)
    shown = analytical + [by_id[t] for t in sorted(linked) if t in by_id and by_id[t] not in analytical]
    for theme in shown:
        count = counts.get(theme.id, "no studies yet")
        nodes[("theme", theme.id)] = ModelNode(
            key=f"theme_{theme_slug(theme.name).replace('-', '_')}",
            name=theme.name,
            kind="theme",
            tooltip=f"{theme.name}: {count}",
            url=f"#{theme_anchor(theme)}",
        )
    for outcome in outcomes:
        nodes[("outcome", outcome.id)] = ModelNode(
            key=f"outcome_{theme_slug(outcome.name).replace('-', '_')}",
            name=outcome.name,
            kind="outcome",
            tooltip=outcome.description or outcome.name,
            url=None,
        )

    def key(ref: NodeRef) -> str:
        found = nodes.get(("theme", ref.theme_id)) if ref.theme_id is not None else None
        if found is None and ref.outcome_id is not None:
            found = nodes.get(("outcome", ref.outcome_id))
        if found is None:
            raise ValueError(f"a link names a node that is not in the model: {ref}")
        return found.key

    edges = tuple(
        ModelEdge(key(link.source), key(link.target), RELATION_TYPES[link.type], link.label)
        for link in sorted(links, key=lambda link: link.id)
    )
    return ConceptModel(nodes=tuple(nodes.values()), edges=edges)


# -- drawing ---------------------------------------------------------------------------------------


def model_dot(model: ConceptModel, title: str = "Conceptual model") -> str:
    """DOT source of the figure: the same model gives the same bytes."""
    graph = graphviz.Digraph(
        "conceptual_model",
        graph_attr={
            "rankdir": "LR",
            "fontname": _FONT,
            "fontsize": "11",
            "labelloc": "b",
            "label": graphviz.escape(_caption(model)),
            "tooltip": graphviz.escape(title),
            "nodesep": "0.4",
            "ranksep": "0.7",
        },
        node_attr={"fontname": _FONT, "fontsize": "12", "style": "rounded,filled", "penwidth": "1.2"},
        edge_attr={"fontname": _FONT, "fontsize": "10"},
    )
    for node in model.nodes:
        attrs = {
            "label": graphviz.escape(node.name),
            "tooltip": graphviz.escape(node.tooltip),
            "shape": "box" if node.kind == "theme" else "ellipse",
            # Okabe–Ito sky blue for themes, orange for outcomes, as light fills with dark text
            "fillcolor": "#d6ebf7" if node.kind == "theme" else "#fbe3c2",
        }
        if node.url:
            attrs.update({"URL": graphviz.escape(node.url), "target": "_top"})
        graph.node(node.key, **attrs)
    names = {node.key: node.name for node in model.nodes}
    for edge in model.edges:
        words = f"{names[edge.source]} {edge.type.words} {names[edge.target]}"
        graph.edge(
            edge.source,
            edge.target,
            label=graphviz.escape(edge.label or edge.type.words),
            tooltip=graphviz.escape(words),
            style=edge.type.style,
            arrowhead=edge.type.arrowhead,
            penwidth=edge.type.penwidth,
        )
    return str(graph.source)


def _caption(model: ConceptModel) -> str:
    used = [t for t in RELATION_TYPES.values() if any(edge.type == t for edge in model.edges)]
    parts = [f"{t.line}: {t.words}" for t in used]
    if any(node.kind == "outcome" for node in model.nodes):
        parts.append("ovals: outcomes, not themes")
    return "; ".join(parts)


def render_model(dot_source: str, format_name: str) -> bytes:
    """The figure as SVG, PNG or PDF, drawn by Graphviz's ``dot``; ``dot`` returns the source."""
    if format_name == "dot":
        return dot_source.encode("utf-8")
    try:
        return bytes(graphviz.Source(dot_source, engine="dot").pipe(format=format_name))
    except graphviz.ExecutableNotFound:
        raise UserError(
            "drawing the model needs Graphviz's dot program, which is not installed",
            hint="Install it (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz), "
            "or write the DOT source with -o model.dot.",
        ) from None


# -- the model file ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileOutcome:
    name: str
    description: str
    line: int


@dataclass(frozen=True, slots=True)
class FileLink:
    source: str
    target: str
    type: RelationType
    label: str
    line: int


@dataclass(frozen=True)
class ModelFile:
    outcomes: tuple[FileOutcome, ...]
    links: tuple[FileLink, ...]


class _Fail(Protocol):  # parse_model_file's fail(), for the helpers' annotations
    def __call__(self, path: tuple[str | int, ...], message: str, hint: str | None = None) -> UserError: ...


_LINK_KEYS = {"from", "to", "type", "label"}
_OUTCOME_KEYS = {"name", "description"}


def parse_model_file(text: str, file: str) -> ModelFile:
    """Read a model file; every mistake is a :class:`UserError` naming ``file:line``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{file}: not valid TOML: {error}") from None
    lines = key_lines(text)

    def fail(path: tuple[str | int, ...], message: str, hint: str | None = None) -> UserError:
        line = find_key_line(text, path, lines)
        return UserError(f"{file}:{line}: {message}" if line else f"{file}: {message}", hint=hint)

    unknown = set(data) - {"model"}
    if unknown:
        raise fail(
            (sorted(unknown)[0],),
            f"unknown table {sorted(unknown)[0]!r}",
            hint="Write [[model.relationships]].",
        )
    model = data.get("model", {})
    if not isinstance(model, dict):
        raise fail(("model",), "model must be a table")
    extra = set(model) - {"outcomes", "relationships"}
    if extra:
        key = sorted(extra)[0]
        raise fail(
            ("model", key), f"unknown key model.{key}", hint="Keys: model.outcomes, model.relationships."
        )
    outcomes = []
    for index, entry in enumerate(_entries(model, "outcomes", fail)):
        path: tuple[str | int, ...] = ("model", "outcomes", index)
        _check_keys(entry, _OUTCOME_KEYS, path, fail)
        name = _text(entry, "name", path, fail, required=True)
        description = _text(entry, "description", path, fail)
        outcomes.append(FileOutcome(name, description, find_key_line(text, path, lines) or 0))
    links = []
    for index, entry in enumerate(_entries(model, "relationships", fail)):
        path = ("model", "relationships", index)
        _check_keys(entry, _LINK_KEYS, path, fail)
        source = _text(entry, "from", path, fail, required=True)
        target = _text(entry, "to", path, fail, required=True)
        try:
            kind = relation_type(_text(entry, "type", path, fail, required=True))
        except UserError as error:
            raise fail((*path, "type"), error.message, hint=error.hint) from None
        label = _text(entry, "label", path, fail)
        links.append(FileLink(source, target, kind, label, find_key_line(text, path, lines) or 0))
    return ModelFile(tuple(outcomes), tuple(links))


def _entries(model: dict[str, object], key: str, fail: _Fail) -> list[dict[str, object]]:
    value = model.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise fail(("model", key), f"model.{key} must be an array of tables", hint=f"Write [[model.{key}]].")
    return value


def _check_keys(
    entry: dict[str, object], allowed: set[str], path: tuple[str | int, ...], fail: _Fail
) -> None:
    extra = sorted(set(entry) - allowed)
    if extra:
        raise fail(
            (*path, extra[0]), f"unknown key {extra[0]!r}", hint="Keys: " + ", ".join(sorted(allowed)) + "."
        )


def _text(
    entry: dict[str, object], key: str, path: tuple[str | int, ...], fail: _Fail, *, required: bool = False
) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise fail((*path, key), f"{key} must be text")
    value = " ".join(value.split())
    if required and not value:
        raise fail((*path, key) if key in entry else path, f"{key} is missing")
    return value


Endpoint = Theme | str  # a theme, or the name of an outcome


def resolve_names(
    model: ModelFile, themes: Sequence[Theme], file: str
) -> list[tuple[FileLink, Endpoint, Endpoint]]:
    """Each link of a model file with its ends: an analytical theme (by name, any case) or one of
    the file's outcomes. Unknown names, descriptive themes, an outcome named like a theme, a link
    from a node to itself and the same link twice are errors naming ``file:line``."""
    by_name = {theme.name.casefold(): theme for theme in themes}
    outcomes: dict[str, str] = {}
    for outcome in model.outcomes:
        key = outcome.name.casefold()
        if key in by_name:
            raise UserError(f"{file}:{outcome.line}: outcome {outcome.name!r} has the name of a theme")
        if key in outcomes:
            raise UserError(f"{file}:{outcome.line}: outcome {outcome.name!r} is listed twice")
        outcomes[key] = outcome.name

    def end(name: str, line: int) -> Endpoint:
        theme = by_name.get(name.casefold())
        if theme is not None:
            if theme.level is not ThemeLevel.ANALYTICAL:
                raise UserError(
                    f"{file}:{line}: {theme.name!r} is a descriptive theme",
                    hint="The model links analytical themes (and outcomes): name its analytical theme.",
                )
            return theme
        if name.casefold() in outcomes:
            return outcomes[name.casefold()]
        close = difflib.get_close_matches(name, [t.name for t in themes] + list(outcomes.values()), n=1)
        suggestion = f" (did you mean {close[0]!r}?)" if close else ""
        raise UserError(
            f"{file}:{line}: {name!r} is neither a theme nor an outcome of the file{suggestion}",
            hint="Declare an outcome that is not a theme under [[model.outcomes]].",
        )

    resolved = []
    seen: set[tuple[str, str, str]] = set()
    for link in model.links:
        source, target = end(link.source, link.line), end(link.target, link.line)
        names = (_name(source).casefold(), _name(target).casefold(), link.type.id)
        if names[0] == names[1]:
            raise UserError(f"{file}:{link.line}: a link from {_name(source)!r} to itself")
        if names in seen:
            raise UserError(f"{file}:{link.line}: this link is already in the file")
        seen.add(names)
        resolved.append((link, source, target))
    return resolved


def _name(end: Endpoint) -> str:
    return end.name if isinstance(end, Theme) else end


def _toml_string(text: str) -> str:
    # JSON's string escapes are all valid in a TOML basic string
    return json.dumps(text, ensure_ascii=False)


def model_file_text(outcomes: Sequence[Outcome], links: Sequence[tuple[str, str, str, str]]) -> str:
    """A model file for ``outcomes`` and ``links`` (from name, to name, type id, label), which
    :func:`parse_model_file` reads back."""
    lines = ["# The conceptual model: synthesist synthesis model load reads this file back.", ""]
    for outcome in outcomes:
        lines += ["[[model.outcomes]]", f"name = {_toml_string(outcome.name)}"]
        if outcome.description:
            lines.append(f"description = {_toml_string(outcome.description)}")
        lines.append("")
    for source, target, kind, label in links:
        lines += [
            "[[model.relationships]]",
            f"from = {_toml_string(source)}",
            f"to = {_toml_string(target)}",
            f"type = {_toml_string(RELATION_TYPES[kind].words)}",
        ]
        if label:
            lines.append(f"label = {_toml_string(label)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
