"""The conceptual model of the synthesis: outcomes, typed links between analytical themes and
outcomes, a model file loaded or written, and the figure drawn with Graphviz.

A link's ends are named: an analytical theme by its name (any case), or an outcome added before
(``add_outcome``) or declared in the model file. Loading a file replaces the whole model in one
transaction; a mistake in the file (named by line) leaves the model as it was. Each node of the
figure links to the theme's evidence (``#theme-<slug>``, as ``synthesis evidence`` writes it) and
its tooltip says how many studies the theme rests on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from synthesist.errors import Conflict, NotFound, UserError
from synthesist.events import ModelLinkChanged, ModelLoaded, ModelOutcomeChanged
from synthesist.ports import UnitOfWork
from synthesist.services.synthesis.outputs import synthesis_matrix
from synthesist.services.synthesis.refs import same_name
from synthesist.synthesis.concept_model import (
    ConceptModel,
    Link,
    NodeRef,
    Outcome,
    build_model,
    model_dot,
    model_file_text,
    parse_model_file,
    relation_type,
    render_model,
    resolve_names,
)
from synthesist.synthesis.model import Theme, ThemeLevel
from synthesist.wording import plural_word
from synthesist.workspace import Workspace

__all__ = [
    "LinkView",
    "ModelView",
    "add_link",
    "add_outcome",
    "concept_model",
    "load_model",
    "model_figure",
    "model_view",
    "remove_link",
    "remove_outcome",
]


@dataclass(frozen=True, slots=True)
class LinkView:
    id: int
    source: str
    target: str
    type: str  # words: "is foundation of"
    label: str


@dataclass(frozen=True)
class ModelView:
    themes: tuple[Theme, ...]  # the analytical themes (nodes)
    outcomes: tuple[Outcome, ...]
    links: tuple[LinkView, ...]

    def file_text(self) -> str:
        """The model as a model file (``synthesis model load`` reads it back)."""
        kinds = {rel.words: rel.id for rel in map(relation_type, {link.type for link in self.links})}
        rows = [(link.source, link.target, kinds[link.type], link.label) for link in self.links]
        return model_file_text(self.outcomes, rows)


def _names(uow: UnitOfWork) -> tuple[list[Theme], list[Outcome], dict[tuple[str, int], str]]:
    themes = uow.synthesis.themes()
    outcomes = uow.concept_model.outcomes()
    names = {("theme", t.id): t.name for t in themes} | {("outcome", o.id): o.name for o in outcomes}
    return themes, outcomes, names


def _end_name(ref: NodeRef, names: dict[tuple[str, int], str]) -> str:
    if ref.theme_id is not None:
        return names.get(("theme", ref.theme_id), f"theme {ref.theme_id}")
    return names.get(("outcome", ref.outcome_id or 0), f"outcome {ref.outcome_id}")


def _link_view(link: Link, names: dict[tuple[str, int], str]) -> LinkView:
    words = relation_type(link.type).words
    return LinkView(link.id, _end_name(link.source, names), _end_name(link.target, names), words, link.label)


def model_view(workspace: Workspace) -> ModelView:
    with workspace.unit_of_work(write=False) as uow:
        themes, outcomes, names = _names(uow)
        links = uow.concept_model.links()
    analytical = sorted(
        (t for t in themes if t.level is ThemeLevel.ANALYTICAL), key=lambda t: (t.position, t.id)
    )
    return ModelView(tuple(analytical), tuple(outcomes), tuple(_link_view(link, names) for link in links))


def _clean(text: str, what: str) -> str:
    clean = " ".join(text.split())
    if not clean:
        raise UserError(f"name the {what}")
    return clean


def add_outcome(workspace: Workspace, name: str, description: str = "") -> Outcome:
    """An outcome node that is not a theme (e.g. "Self-management")."""
    clean = _clean(name, "outcome")
    with workspace.unit_of_work() as uow:
        themes, outcomes, _ = _names(uow)
        if any(same_name(t.name, clean) for t in themes):
            raise Conflict(f"{clean!r} is a theme; a theme is in the model already")
        if any(same_name(o.name, clean) for o in outcomes):
            raise Conflict(f"the model has an outcome called {clean!r} already")
        text = " ".join(description.split())
        outcome_id = uow.concept_model.add_outcome(clean, text, by=workspace.actor)
        uow.events.append(ModelOutcomeChanged(outcome_id, clean, True, text), workspace.actor)
        uow.commit()
    return Outcome(outcome_id, clean, text)


def remove_outcome(workspace: Workspace, name: str) -> Outcome:
    with workspace.unit_of_work() as uow:
        _, outcomes, names = _names(uow)
        found = next((o for o in outcomes if same_name(o.name, name)), None)
        if found is None:
            raise NotFound(
                f"the model has no outcome called {name!r}", hint="synthesist synthesis model show"
            )
        used = [
            link
            for link in uow.concept_model.links()
            if found.id in (link.source.outcome_id, link.target.outcome_id)
        ]
        if used:
            listed = "; ".join(
                f"{v.id}: {v.source} {v.type} {v.target}" for v in (_link_view(k, names) for k in used)
            )
            raise UserError(f"links use outcome {found.name!r} ({listed})", hint="Remove those links first.")
        uow.concept_model.remove_outcome(found.id)
        uow.events.append(
            ModelOutcomeChanged(found.id, found.name, False, found.description), workspace.actor
        )
        uow.commit()
    return found


def _node(themes: list[Theme], outcomes: list[Outcome], name: str) -> tuple[NodeRef, str]:
    wanted = _clean(name, "theme or outcome")
    theme = next((t for t in themes if same_name(t.name, wanted)), None)
    if theme is not None:
        if theme.level is not ThemeLevel.ANALYTICAL:
            raise UserError(
                f"{theme.name!r} is a descriptive theme",
                hint="The model links analytical themes (and outcomes): name its analytical theme.",
            )
        return NodeRef(theme_id=theme.id), theme.name
    outcome = next((o for o in outcomes if same_name(o.name, wanted)), None)
    if outcome is not None:
        return NodeRef(outcome_id=outcome.id), outcome.name
    raise NotFound(
        f"{wanted!r} is neither an analytical theme nor an outcome of the model",
        hint=f'Add an outcome that is not a theme first: synthesist synthesis model add-outcome "{wanted}"',
    )


def add_link(workspace: Workspace, source: str, target: str, kind: str, label: str = "") -> LinkView:
    relation = relation_type(kind)
    with workspace.unit_of_work() as uow:
        themes, outcomes, _ = _names(uow)
        start, start_name = _node(themes, outcomes, source)
        end, end_name = _node(themes, outcomes, target)
        if start == end:
            raise UserError(f"a link from {start_name!r} to itself")
        for link in uow.concept_model.links():
            if (link.source, link.target, link.type) == (start, end, relation.id):
                raise Conflict(f"the model has this link already (link {link.id})")
        text = " ".join(label.split())
        link_id = uow.concept_model.add_link(start, end, relation.id, text, by=workspace.actor)
        event = ModelLinkChanged(link_id, start_name, end_name, relation.words, True, text)
        uow.events.append(event, workspace.actor)
        uow.commit()
    return LinkView(link_id, start_name, end_name, relation.words, text)


def remove_link(workspace: Workspace, link_id: int) -> LinkView:
    with workspace.unit_of_work() as uow:
        _, _, names = _names(uow)
        found = next((link for link in uow.concept_model.links() if link.id == link_id), None)
        if found is None:
            raise NotFound(
                f"the model has no link {link_id}", hint="synthesist synthesis model show lists them."
            )
        view = _link_view(found, names)
        uow.concept_model.remove_link(link_id)
        event = ModelLinkChanged(link_id, view.source, view.target, view.type, False, view.label)
        uow.events.append(event, workspace.actor)
        uow.commit()
    return view


def load_model(workspace: Workspace, path: Path) -> ModelView:
    """Replace the model by a model file's (all or nothing; mistakes named by line)."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 text (byte {error.start})") from None
    parsed = parse_model_file(text, path.name)
    with workspace.unit_of_work() as uow:
        themes = uow.synthesis.themes()
        resolved = resolve_names(parsed, themes, path.name)
        replaced = len(uow.concept_model.links())
        uow.concept_model.clear()
        ids: dict[str, int] = {}
        for outcome in parsed.outcomes:
            ids[outcome.name.casefold()] = uow.concept_model.add_outcome(
                outcome.name, outcome.description, by=workspace.actor
            )

        def ref(end: Theme | str) -> NodeRef:
            return (
                NodeRef(theme_id=end.id)
                if isinstance(end, Theme)
                else NodeRef(outcome_id=ids[end.casefold()])
            )

        for link, source, target in resolved:
            uow.concept_model.add_link(ref(source), ref(target), link.type.id, link.label, by=workspace.actor)
        digest = hashlib.sha256(raw).hexdigest()
        uow.events.append(
            ModelLoaded(path.name, digest, len(parsed.outcomes), len(resolved), replaced), workspace.actor
        )
        uow.commit()
    return model_view(workspace)


def concept_model(workspace: Workspace) -> ConceptModel:
    """The model to draw, each theme's tooltip with the studies it rests on ("8 of 10 studies")."""
    matrix = synthesis_matrix(workspace)
    counts = {
        column.theme.id: f"{matrix.count_text(column)} {plural_word(matrix.total, 'study', 'studies')}"
        for column in matrix.columns
    }
    with workspace.unit_of_work(write=False) as uow:
        themes = uow.synthesis.themes()
        outcomes = uow.concept_model.outcomes()
        links = uow.concept_model.links()
    return build_model(themes, outcomes, links, counts)


def model_figure(workspace: Workspace, format_name: str, title: str = "Conceptual model") -> bytes:
    """The figure as SVG, PNG or PDF (drawn by Graphviz's dot), or its DOT source ("dot")."""
    formats = ("svg", "png", "pdf", "dot")
    if format_name not in formats:
        raise UserError(f"no figure format {format_name!r}", hint="Formats: " + ", ".join(formats) + ".")
    return render_model(model_dot(concept_model(workspace), title), format_name)
