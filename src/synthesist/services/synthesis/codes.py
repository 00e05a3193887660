"""The codebook's codes: creating, renaming, defining, merging and splitting them, memos, history.

Stable API (used by tests of the synthesis outputs, keyword arguments)::

    create_code(workspace, name, *, definition="", key_terms=(), themes=()) -> Code

Every change is one transaction with its event and, for renames, definitions, merges and splits, a
row of the code's history (``code show``). A merged code keeps its row (``merged_into``) so old
events and history still name it; its codings and its themes move to the code it was merged into.

Merging and splitting keep the rule that one coder never has one code twice on overlapping text:
a moved coding that overlaps a coding of the same coder, code and document is folded into it (the
span becomes the union of both, the moved one is stamped removed), so no coded text is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from synthesist.errors import Conflict, UserError
from synthesist.events import CodeChanged, CodeCreated, CodesMerged, CodeSplit, MemoWritten
from synthesist.ports import UnitOfWork
from synthesist.records.clean import remove_controls
from synthesist.services.synthesis.refs import coding_id, find_code, find_theme, same_name
from synthesist.services.synthesis.themes import assign_in, split_terms
from synthesist.synthesis.entries import (
    CodeHistoryEntry,
    CodingStatus,
    HistoryAction,
    MemoTarget,
    StoredCoding,
)
from synthesist.synthesis.model import Code
from synthesist.workspace import Workspace

__all__ = [
    "CodeDetail",
    "MoveResult",
    "code_detail",
    "create_code",
    "create_code_in",
    "define_code",
    "list_codes",
    "merge_codes",
    "rename_code",
    "split_code",
    "write_code_memo",
]


@dataclass(frozen=True)
class MoveResult:
    source: Code
    target: Code
    moved: list[int]  # coding ids now on the target
    folded: list[int]  # moved codings folded into an overlapping coding of the target (removed)
    created: bool = False  # the target was created by the split


@dataclass(frozen=True)
class CodeDetail:
    code: Code
    theme_names: list[str]
    history: list[CodeHistoryEntry]
    codings: list[StoredCoding]  # active


def list_codes(workspace: Workspace, *, merged: bool = False) -> list[Code]:
    with workspace.unit_of_work(write=False) as uow:
        return [code for code in uow.synthesis.codes() if merged or code.merged_into is None]


def code_detail(workspace: Workspace, code: str) -> CodeDetail:
    with workspace.unit_of_work(write=False) as uow:
        found = find_code(uow.synthesis.codes(), code, allow_merged=True)
        names = {theme.id: theme.name for theme in uow.synthesis.themes()}
        return CodeDetail(
            found,
            [names[theme_id] for theme_id in found.theme_ids if theme_id in names],
            uow.synthesis.history(found.id),
            uow.synthesis.codings(code_ids=[found.id]),
        )


def create_code(
    workspace: Workspace,
    name: str,
    *,
    definition: str = "",
    key_terms: str | Sequence[str] = (),
    themes: Sequence[str] = (),
) -> Code:
    """A new code, under the themes named (each must exist)."""
    with workspace.unit_of_work() as uow:
        code = create_code_in(
            uow, workspace, name, definition=definition, key_terms=split_terms(key_terms), themes=themes
        )
        uow.commit()
    return code


def create_code_in(
    uow: UnitOfWork,
    workspace: Workspace,
    name: str,
    *,
    definition: str = "",
    key_terms: Sequence[str] = (),
    themes: Sequence[str] = (),
) -> Code:
    clean = _name(name)
    definition = remove_controls(definition)
    codes = uow.synthesis.codes()
    _check_free(codes, clean)
    all_themes = uow.synthesis.themes()
    under = [find_theme(all_themes, theme) for theme in themes]  # before writing: nothing half-made
    code_id = uow.synthesis.add_code(
        clean, definition=definition.strip(), key_terms=key_terms, by=workspace.actor
    )
    uow.synthesis.add_history(code_id, HistoryAction.CREATED, {"name": clean}, by=workspace.actor)
    event = CodeCreated(code_id, clean, definition.strip(), list(key_terms))
    uow.events.append(event, workspace.actor)
    code = _code(uow, code_id)
    for theme in under:
        assign_in(uow, workspace, code, theme)
        code = _code(uow, code_id)
    return code


def rename_code(workspace: Workspace, old: str, new: str) -> Code:
    with workspace.unit_of_work() as uow:
        codes = uow.synthesis.codes()
        code = find_code(codes, old)
        clean = _name(new)
        if clean == code.name:
            raise Conflict(f"code {code.name!r} already has that name")
        _check_free([c for c in codes if c.id != code.id], clean)
        uow.synthesis.update_code(code.id, name=clean)
        uow.synthesis.add_history(
            code.id, HistoryAction.RENAMED, {"old": code.name, "new": clean}, by=workspace.actor
        )
        uow.events.append(CodeChanged(code.id, clean, {"name": [code.name, clean]}), workspace.actor)
        renamed = _code(uow, code.id)
        uow.commit()
    return renamed


def define_code(
    workspace: Workspace,
    code: str,
    definition: str | None = None,
    *,
    key_terms: str | Sequence[str] | None = None,
) -> Code:
    """Set a code's definition and/or key terms (the words that suggest it)."""
    with workspace.unit_of_work() as uow:
        found = find_code(uow.synthesis.codes(), code)
        changes: dict[str, list[object]] = {}
        definition = remove_controls(definition) if definition is not None else None
        if definition is not None and definition.strip() != found.definition:
            changes["definition"] = [found.definition, definition.strip()]
            uow.synthesis.update_code(found.id, definition=definition.strip())
        if key_terms is not None and split_terms(key_terms) != found.key_terms:
            terms = split_terms(key_terms)
            changes["key_terms"] = [list(found.key_terms), list(terms)]
            uow.synthesis.update_code(found.id, key_terms=terms)
        if changes:
            detail = {key: new for key, (_, new) in changes.items()}
            uow.synthesis.add_history(found.id, HistoryAction.DEFINED, detail, by=workspace.actor)
            uow.events.append(CodeChanged(found.id, found.name, changes), workspace.actor)
        updated = _code(uow, found.id)
        uow.commit()
    return updated


def write_code_memo(workspace: Workspace, code: str, text: str) -> int:
    """Add a dated memo to a code (memos accumulate; none is overwritten)."""
    body = remove_controls(text).strip()
    if not body:
        raise UserError("the memo is empty")
    with workspace.unit_of_work() as uow:
        found = find_code(uow.synthesis.codes(), code, allow_merged=True)
        memo_id = uow.synthesis.add_memo(MemoTarget.CODE, found.id, body, by=workspace.actor)
        uow.events.append(
            MemoWritten(memo_id, MemoTarget.CODE.value, found.id, found.name, body), workspace.actor
        )
        uow.commit()
    return memo_id


def merge_codes(workspace: Workspace, source: str, target: str) -> MoveResult:
    """Merge code ``source`` into ``target``: its codings and themes move there; it stays, merged."""
    with workspace.unit_of_work() as uow:
        codes = uow.synthesis.codes()
        first, second = find_code(codes, source), find_code(codes, target)
        if first.id == second.id:
            raise UserError(f"code {first.name!r} cannot be merged into itself")
        stored = uow.synthesis.codings(code_ids=[first.id], active_only=False)
        moved, folded = _move(uow, workspace, stored, second.id)
        for theme_id in first.theme_ids:
            if theme_id not in second.theme_ids:
                uow.synthesis.assign(second.id, theme_id, by=workspace.actor)
            uow.synthesis.unassign(first.id, theme_id)
        uow.synthesis.update_code(first.id, merged_into=second.id)
        detail = {"into": second.id, "into_name": second.name, "codings": moved, "folded": folded}
        uow.synthesis.add_history(first.id, HistoryAction.MERGED, detail, by=workspace.actor)
        detail = {"from": first.id, "from_name": first.name, "codings": moved, "folded": folded}
        uow.synthesis.add_history(second.id, HistoryAction.MERGED, detail, by=workspace.actor)
        uow.events.append(CodesMerged(first.id, first.name, second.id, second.name, moved), workspace.actor)
        result = MoveResult(_code(uow, first.id), _code(uow, second.id), moved, folded)
        uow.commit()
    return result


def split_code(
    workspace: Workspace, code: str, *, into: str, codings: Sequence[int | str], definition: str = ""
) -> MoveResult:
    """Move some codings of ``code`` to ``into`` (created, under the same themes, if it does not
    exist). Every coding named must be an active coding of ``code``."""
    if not codings:
        raise UserError("name the codings to move: --codings 3,5,8")
    wanted = [coding_id(value) for value in codings]
    with workspace.unit_of_work() as uow:
        codes = uow.synthesis.codes()
        source = find_code(codes, code)
        active = {stored.id: stored for stored in uow.synthesis.codings(code_ids=[source.id])}
        strangers = [str(number) for number in wanted if number not in active]
        if strangers:
            raise UserError(
                f"coding{'s' if len(strangers) > 1 else ''} {', '.join(strangers)} "
                f"{'are' if len(strangers) > 1 else 'is'} not an active coding of code {source.name!r}",
                hint=f"`synthesist code show {source.name!r}` lists its codings.",
            )
        if len(set(wanted)) == len(active):
            raise UserError(
                f"that is every coding of {source.name!r}: rename it instead",
                hint=f"synthesist code rename {source.name!r} NEW",
            )
        existing = next((c for c in codes if same_name(c.name, into)), None)
        if existing is not None and existing.id == source.id:
            raise UserError(f"code {source.name!r} cannot be split into itself")
        if existing is not None and existing.merged_into is not None:
            find_code(codes, into)  # raises: merged away
        created = existing is None
        if existing is None:
            themes = [t.name for t in uow.synthesis.themes() if t.id in source.theme_ids]
            target = create_code_in(uow, workspace, into, definition=definition, themes=themes)
        else:
            target = existing
        moved, folded = _move(uow, workspace, [active[number] for number in dict.fromkeys(wanted)], target.id)
        detail = {"into": target.id, "into_name": target.name, "codings": moved, "folded": folded}
        uow.synthesis.add_history(source.id, HistoryAction.SPLIT, detail, by=workspace.actor)
        detail = {"from": source.id, "from_name": source.name, "codings": moved, "folded": folded}
        uow.synthesis.add_history(target.id, HistoryAction.SPLIT, detail, by=workspace.actor)
        uow.events.append(CodeSplit(source.id, source.name, target.id, target.name, moved), workspace.actor)
        result = MoveResult(_code(uow, source.id), _code(uow, target.id), moved, folded, created)
        uow.commit()
    return result


def _move(
    uow: UnitOfWork, workspace: Workspace, moving: Sequence[StoredCoding], target_id: int
) -> tuple[list[int], list[int]]:
    """Move codings to the target code, folding each active one that overlaps an active coding of
    the target by the same coder in the same document into that coding."""
    documents = {stored.coding.document_id for stored in moving}
    there = [s.coding for s in uow.synthesis.codings(document_ids=documents, code_ids=[target_id])]
    moved, folded = [], []
    for stored in moving:
        coding = stored.coding
        host = next(
            (
                other
                for other in there
                if stored.active
                and other.document_id == coding.document_id
                and other.coder == coding.coder
                and other.start < coding.end
                and coding.start < other.end
            ),
            None,
        )
        uow.synthesis.move_codings([coding.id], target_id)
        moved.append(coding.id)
        if host is None:
            continue
        start, end = min(host.start, coding.start), max(host.end, coding.end)
        document = uow.synthesis.get_document(host.document_id)
        page = document.page_at(start)
        text = document.text[start:end]
        uow.synthesis.set_anchor(host.id, start=start, end=end, page=page, anchor=host.anchor, text=text)
        uow.synthesis.set_status([coding.id], CodingStatus.REMOVED, by=workspace.actor)
        there[there.index(host)] = replace(host, start=start, end=end, page=page, text=text)
        folded.append(coding.id)
    return moved, folded


def _code(uow: UnitOfWork, code_id: int) -> Code:
    return next(code for code in uow.synthesis.codes() if code.id == code_id)


def _name(name: str) -> str:
    clean = " ".join(remove_controls(name).split())
    if not clean:
        raise UserError("a code needs a name")
    return clean


def _check_free(codes: Sequence[Code], name: str) -> None:
    for code in codes:
        if same_name(code.name, name):
            merged = (
                " (merged into another code; its name stays taken for its history)"
                if code.merged_into
                else ""
            )
            raise Conflict(f"a code called {code.name!r} exists already{merged}")
