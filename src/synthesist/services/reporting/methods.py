"""The report's Methods, written from what the project holds: the protocol (review.toml) says what
was planned, the import batches and the event log say what was done and by whom.

Each paragraph states only what the data shows: a date that was never recorded is called
unrecorded, a prioritised queue is described as configured (the log does not record which queue
each reviewer used), and a step with nothing in the log gets a "not done yet" paragraph instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from synthesist.errors import ProtocolError
from synthesist.events import LoggedEvent
from synthesist.importing.batch import ImportBatch
from synthesist.reporting.report.model import BulletList, Paragraph, Section, table_ref
from synthesist.review.protocol import Protocol
from synthesist.screening.model import Stage
from synthesist.services.appraisal.setup import AppraisalSetup, appraisal_setup
from synthesist.services.records.reading import list_batches, read_log
from synthesist.services.reporting.prisma import PrismaResult, prisma_counts
from synthesist.services.reporting.search_sources import database_name, search_dates_text
from synthesist.synthesis.model import CodingSnapshot
from synthesist.wording import count_phrase, plural, plural_word, verb_for
from synthesist.workspace import Workspace

__all__ = ["MethodsFacts", "join_words", "methods_facts", "methods_section"]

_MODE_WORDS = {
    "single": "one reviewer screened each record",
    "single-verified": "one reviewer screened each record and a second reviewer checked "
    "{sample} of the decisions",
    "dual": "two reviewers screened each record independently, blind to each other's votes, "
    "and disagreements were settled by consensus",
}


def join_words(items: Iterable[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _people(counts: Counter[str], what: str, what_plural: str | None = None) -> str:
    """ "aoife (412 decisions) and ben (326 decisions)", busiest first, then by name."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return join_words(f"{name} ({plural(n, what, what_plural)})" for name, n in ordered)


@dataclass(frozen=True)
class MethodsFacts:
    """What the event log and the batches say, read once for the whole report."""

    protocol: Protocol
    batches: list[ImportBatch]
    events: list[LoggedEvent]
    flow: PrismaResult | None = None  # the PRISMA numbers: methods and results quote the same ones

    def of(self, *types: str) -> list[LoggedEvent]:
        return [event for event in self.events if event.type in types]


def methods_facts(workspace: Workspace) -> MethodsFacts:
    return MethodsFacts(
        workspace.project.protocol, list_batches(workspace), read_log(workspace), prisma_counts(workspace)
    )


def methods_section(workspace: Workspace, facts: MethodsFacts, snapshot: CodingSnapshot | None) -> Section:
    methods = Section("methods", "Methods")
    methods.children = [
        _search(facts),
        _criteria(facts.protocol),
        _deduplication(workspace, facts),
        _screening(facts),
        _retrieval(workspace, facts),
        _extraction(workspace, facts),
        _appraisal(workspace, facts),
        _synthesis(facts, snapshot),
    ]
    if facts.of("cerqual.finding_added"):
        methods.children.append(_cerqual(facts))
    return methods


def _search(facts: MethodsFacts) -> Section:
    section = Section("methods-search", "Information sources and search")
    search = facts.protocol.search
    by_source: dict[str, list[ImportBatch]] = defaultdict(list)
    for batch in facts.batches:
        by_source[batch.other_method or database_name(batch, facts.protocol)].append(batch)
    database_parts = []
    for source, batches in by_source.items():
        if batches[0].other_method is not None:
            continue
        when = search_dates_text(batches, facts.protocol)
        records = sum(b.record_count for b in batches)
        database_parts.append(f"{source} ({when}; {plural(records, 'record')})")
    if database_parts:
        section.add(
            Paragraph(f"We searched {plural(len(database_parts), 'database')}: {join_words(database_parts)}.")
        )
    else:
        section.add(Paragraph("No database search results have been imported.", "missing"))
    not_imported = [
        db.name for db in search.databases if db.name.casefold() not in {s.casefold() for s in by_source}
    ]
    if not_imported:
        section.add(
            Paragraph(
                f"The protocol also lists {join_words(not_imported)}; no records from it were imported."
            )
        )
    others = [(s, b) for s, b in by_source.items() if b[0].other_method is not None]
    if others:
        parts = [
            f"{name} ({plural(sum(b.record_count for b in batches), 'record')})" for name, batches in others
        ]
        section.add(Paragraph(f"Further records came from other methods: {join_words(parts)}."))
    elif search.other_methods:
        section.add(
            Paragraph(
                f"The protocol names other methods ({join_words(search.other_methods)}); "
                "no records from them were imported."
            )
        )
    for paragraph in _live_searches(facts):
        section.add(paragraph)
    limits = []
    if search.date_from is not None or search.date_to is not None:
        start = str(search.date_from) if search.date_from is not None else "the start of each database"
        end = str(search.date_to) if search.date_to is not None else "the date of the search"
        limits.append(f"The searches covered publications from {start} to {end}")
    if search.languages:
        limits.append(f"studies in {join_words(search.languages)} were eligible")
    if limits:
        section.add(Paragraph("; ".join(limits) + "."))
    section.add(
        Paragraph(
            "The search strategy of each database is given in the appendix (Search strategies).", "note"
        )
    )
    return section


def _live_searches(facts: MethodsFacts) -> list[Paragraph]:
    """Searches run by Synthesist on free sources, their living updates and citation searching
    (PRISMA-S: interfaces, dates, and how the searches were updated)."""
    runs = [event.payload for event in facts.of("search.run_completed")]
    paragraphs = []
    searched = sorted({run["source"] for run in runs if run["kind"] == "search"})
    if searched:
        paragraphs.append(
            Paragraph(
                f"{join_words(searched)} {verb_for(len(searched), 'was', 'were')} searched through "
                f"{'its' if len(searched) == 1 else 'their'} public APIs with Synthesist, which stored "
                "each query exactly as sent, the date and the number of hits the source reported "
                f"(appendix, {table_ref('table-search')})."
            )
        )
    updates = [run for run in runs if run["kind"] == "update"]
    if updates:
        dates = sorted({run["searched_on"] for run in updates})
        new = sum(int(run["imported"]) for run in updates)
        paragraphs.append(
            Paragraph(
                f"The searches were updated {plural(len(updates), 'time')} as a living review "
                f"(on {join_words(dates)}), each time for the records the source had added since the "
                f"previous run; {plural(new, 'new record')} not already in the review "
                f"{verb_for(new, 'was', 'were')} imported and screened "
                f"(appendix, {table_ref('table-search-updates')})."
            )
        )
    citing = [run for run in runs if run["kind"] in ("backward", "forward")]
    if citing:
        kinds = {"backward": "the reference lists of the included studies (backward citation searching)",
                 "forward": "the works citing them (forward citation searching)"}  # fmt: skip
        chosen = [kinds[kind] for kind in ("backward", "forward") if any(r["kind"] == kind for r in citing)]
        dates = sorted({run["searched_on"] for run in citing})
        paragraphs.append(
            Paragraph(
                f"We searched {join_words(chosen)} in OpenAlex on {join_words(dates)}; "
                f"{plural(sum(int(r['imported']) for r in citing), 'record')} not already in the "
                "review were added."
            )
        )
    return paragraphs


def _criteria(protocol: Protocol) -> Section:
    section = Section("methods-criteria", "Eligibility criteria")
    criteria = protocol.criteria
    if not criteria.inclusion and not criteria.exclusion:
        return section.add(Paragraph("review.toml lists no inclusion or exclusion criteria.", "missing"))
    if criteria.inclusion:
        section.add(
            Paragraph("Inclusion criteria:"),
            BulletList(tuple(criteria.inclusion)),
        )
    if criteria.exclusion:
        section.add(Paragraph("Exclusion criteria:"), BulletList(tuple(criteria.exclusion)))
    return section


def _deduplication(workspace: Workspace, facts: MethodsFacts) -> Section:
    section = Section("methods-deduplication", "Deduplication")
    runs = facts.of("dedup.run")
    if not runs:
        return section.add(Paragraph("Duplicate records have not been looked for in Synthesist.", "missing"))
    with workspace.unit_of_work(write=False) as uow:
        groups = uow.dedup.groups()
    removed = Counter({"auto": 0, "review": 0, "manual": 0})
    for group in groups:
        removed[str(group.origin)] += len(group.duplicate_ids)
    total = sum(removed.values())
    settings = facts.protocol.deduplication
    text = (
        f"Duplicate records were found by Synthesist's matching rules (DOI, PMID and citation similarity, "
        f"publication years within {plural(settings.year_tolerance, 'year')}) "
        f"in {plural(len(runs), 'run')}. {plural(total, 'duplicate record')} "
        f"{verb_for(total, 'was', 'were')} removed: "
        f"{removed['auto']} merged automatically as certain matches, {removed['review']} confirmed by a "
        f"reviewer from the possible matches, and {removed['manual']} merged by hand."
    )
    section.add(Paragraph(text))
    decided = facts.of("dedup.pair_decided")
    if decided:
        kinds = Counter(str(e.payload.get("decision")) for e in decided)
        who = Counter(e.actor for e in decided)
        section.add(
            Paragraph(
                f"Reviewers judged {plural(len(decided), 'possible pair')} "
                f"({plural(kinds['confirmed'], 'duplicate')}, {kinds['rejected']} distinct): "
                f"{_people(who, 'decision')}."
            )
        )
    return section


def _decisions(facts: MethodsFacts) -> dict[str, Counter[tuple[str, str]]]:
    """Stage -> (reviewer, kind) -> decisions in force (undone ones left out)."""
    undone = {e.payload["decision_id"] for e in facts.of("screening.undone")}
    counts: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for event in facts.of("screening.decided"):
        if event.payload.get("decision_id") in undone or "reviewer" not in event.payload:
            continue
        counts[event.payload["stage"]][(event.payload["reviewer"], event.payload.get("kind", "screen"))] += 1
    return counts


def _screening(facts: MethodsFacts) -> Section:
    section = Section("methods-screening", "Selection process")
    screening = facts.protocol.screening
    decisions = _decisions(facts)
    for stage, setting in (
        (Stage.TITLE_ABSTRACT, screening.title_abstract),
        (Stage.FULL_TEXT, screening.full_text),
    ):
        mode = _MODE_WORDS[setting.mode].format(sample=setting.verify_sample or "all")
        counts = decisions.get(stage.value, Counter())
        text = f"At {stage.label}, {mode}."
        screens = Counter({r: n for (r, kind), n in counts.items() if kind == "screen"})
        checks = Counter({r: n for (r, kind), n in counts.items() if kind == "verify"})
        consensus = sum(n for (_, kind), n in counts.items() if kind == "consensus")
        if screens:
            text += f" Decisions were made by {_people(screens, 'decision')}."
        if checks:
            text += f" Checks were made by {_people(checks, 'check')}."
        if consensus:
            text += f" {count_phrase(consensus, 'disagreement', verb=('was', 'were'))} settled by consensus."
        if not counts:
            section.add(Paragraph(f"No screening decisions at {stage.label} are recorded yet.", "missing"))
            continue
        section.add(Paragraph(text))
    if screening.exclusion_reasons:
        section.add(
            Paragraph(
                "Full texts were excluded for one of these reasons: "
                f"{join_words(screening.exclusion_reasons)}."
            )
        )
    section.add(*_prioritisation(facts))
    return section


def _prioritisation(facts: MethodsFacts) -> list[Paragraph]:
    setting = facts.protocol.screening.prioritisation
    found: list[Paragraph] = []
    if setting.enabled:
        found.append(
            Paragraph(
                f"The protocol switched on prioritised screening at title and abstract: Synthesist's queue "
                f"ordered the unscreened records by an active-learning model ({setting.model}) retrained "
                f"every {plural(setting.retrain_every, 'decision')}. The "
                "ranking only ordered records; every decision was a reviewer's. The log does not record "
                "whether each reviewer worked from the ranked queue."
            )
        )
    for event in facts.of("screening.stop_recorded"):
        p = event.payload
        recall = ""
        if p.get("estimated_recall") is not None:
            recall = f", an estimated recall of {p['estimated_recall']:.2f}"
            if p.get("target_recall") is not None:
                recall += f" against a target of {p['target_recall']:.2f}"
            if p.get("confidence") is not None:
                recall += f" at {p['confidence']:.0%} confidence"
        found.append(
            Paragraph(
                f"On {event.occurred_at.date().isoformat()}, {event.actor} stopped title and abstract "
                f"screening by the {p['rule']} stopping rule after {p['screened']} of "
                f"{plural(int(p['pool']), 'record')}, with "
                f"{plural(int(p['relevant_found']), 'relevant record')} found{recall} ({p['verdict']}). "
                f"The rule assumes {p['assumes']}."
            )
        )
    if setting.enabled and not facts.of("screening.stop_recorded"):
        found.append(Paragraph("No stop on a stopping rule was recorded."))
    return found


def _retrieval(workspace: Workspace, facts: MethodsFacts) -> Section:
    """What retrieval the data shows: the reports sought, not retrieved and assessed (the flow's own
    numbers), and how many files were attached. Reports assessed are reports retrieved, even when the
    team kept the files outside Synthesist, so the step is done once any report was assessed."""
    section = Section("methods-retrieval", "Full-text retrieval")
    flow = (facts.flow or prisma_counts(workspace)).counts
    attached = facts.of("fulltext.attached")
    records = {e.payload["record_id"] for e in attached}
    if not flow.reports_sought and not attached:
        return section.add(Paragraph("No full text has been sought yet.", "missing"))
    text = (
        f"The full texts of {plural(flow.reports_sought, 'report')} were sought for retrieval"
        + (f"; {flow.reports_not_retrieved} could not be retrieved" if flow.reports_not_retrieved else "")
        + f", and {plural(flow.reports_assessed, 'report')} "
        + f"{verb_for(flow.reports_assessed, 'was', 'were')} assessed for eligibility."
    )
    if attached:
        text += (
            f" {count_phrase(len(attached), 'full-text file', verb=('was', 'were'))} "
            f"attached in Synthesist for {plural(len(records), 'record')}."
        )
    else:
        text += " The full-text files were kept outside Synthesist (none was attached to a record)."
    return section.add(Paragraph(text))


def _extraction(workspace: Workspace, facts: MethodsFacts) -> Section:
    section = Section("methods-extraction", "Data extraction")
    setting = facts.protocol.extraction
    labels = [f.display_label for f in setting.form]
    if not setting.fields:
        section.add(
            Paragraph(
                "review.toml defines no extraction form, so Synthesist's default form "
                "(the reference review's fields) was used.",
                "note",
            )
        )
    mode = {
        "single": "one reviewer extracted the data of each study",
        "single-verified": "one reviewer extracted the data of each study and a second checked it, "
        "flagging values to correct",
        "dual": "two reviewers extracted the data of each study independently and settled "
        "differences by consensus",
    }[setting.mode]
    section.add(
        Paragraph(
            f"Data were extracted into a form of {plural(len(labels), 'field')}: {join_words(labels)}. "
            f"{mode.capitalize()}."
        )
    )
    entered = Counter(
        e.payload["reviewer"] for e in facts.of("extraction.value_set") if "reviewer" in e.payload
    )
    for event in facts.of("extraction.imported"):
        entered[event.payload.get("reviewer", event.actor)] += len(event.payload.get("values", []))
    if not entered:
        return section.add(Paragraph("No extracted values are recorded yet.", "missing"))
    text = f"Values were entered by {_people(entered, 'value')}."
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    for event in facts.of("extraction.completed"):
        roles[event.payload.get("role", "extractor")][event.payload.get("reviewer", event.actor)] += 1
    for role, counts in sorted(roles.items()):
        done = {"extractor": "Extraction", "verifier": "Verification"}.get(role, role.capitalize())
        text += f" {done} was completed by {_people(counts, 'study', 'studies')}."
    return section.add(Paragraph(text))


def _appraisal(workspace: Workspace, facts: MethodsFacts) -> Section:
    section = Section("methods-appraisal", "Critical appraisal")
    try:
        setup = appraisal_setup(workspace)
    except ProtocolError as error:
        return section.add(Paragraph(f"No appraisal tool is set: {error.message}.", "missing"))
    checklist = setup.checklist
    answers = join_words(f"‘{o.label}’" for o in checklist.answers)
    mode = {
        "single": "one reviewer appraised each study",
        "single-verified": "one reviewer appraised each study and a second checked the answers",
        "dual": "two reviewers appraised each study independently and settled differences by consensus",
    }[setup.mode.value]
    section.add(
        Paragraph(
            f"Included studies were appraised with the {checklist.name}, version {checklist.version}: "
            f"{plural(len(checklist.questions), 'question')} answered {answers}; {mode}."
        )
    )
    answered = Counter(
        e.payload["reviewer"] for e in facts.of("appraisal.answered") if "reviewer" in e.payload
    )
    if answered:
        section.add(Paragraph(f"Answers were given by {_people(answered, 'answer')}."))
    else:
        section.add(Paragraph("No appraisal answers are recorded yet.", "missing"))
    section.add(*_rating_rules(setup))
    return section


def _rating_rules(setup: AppraisalSetup) -> Sequence[Paragraph | BulletList]:
    rules = setup.rules
    if rules is None:
        return [Paragraph("No overall rating was given: the protocol asks for none.")]
    labels = setup.checklist.labels
    source = "the reference review's Table 1" if setup.default_rules else "the protocol"
    stated = tuple(f"{r.rating}: {r.words(labels)}" for r in rules.rules if not r.unstated)
    found: list[Paragraph | BulletList] = [
        Paragraph(f"Each study was given an overall rating by these rules, from {source}:"),
        BulletList(stated),
    ]
    unstated = [r for r in rules.rules if r.unstated]
    if unstated:
        words = tuple(f"{r.rating}: {r.words(labels)}." + (f" {r.note}" if r.note else "") for r in unstated)
        found += [
            Paragraph(
                "The published rule leaves some combinations of answers unstated. They were rated as "
                "follows, and the appraisal table marks the studies rated this way:"
            ),
            BulletList(words),
        ]
    if setup.rule_words:
        found.append(Paragraph(f"The protocol states the rule as: {setup.rule_words}", "note"))
    return found


def _synthesis(facts: MethodsFacts, snapshot: CodingSnapshot | None) -> Section:
    section = Section("methods-synthesis", "Synthesis")
    method = facts.protocol.synthesis.method
    if method:
        cite = (
            " (Thomas & Harden 2008)"
            if "thematic" in method.casefold() and "thomas" not in method.casefold()
            else ""
        )
        section.add(Paragraph(f"The synthesis method was {method}{cite}."))
    else:
        section.add(
            Paragraph("The protocol names no synthesis method ([synthesis] method in review.toml).", "note")
        )
    if snapshot is None or not snapshot.codings:
        return section.add(Paragraph("No findings have been coded yet.", "missing"))
    people = Counter(
        c.coder for c in snapshot.codings if c.coder != "assistant" and c.origin.value != "suggested"
    )
    studies = {d.study_id for d in snapshot.documents}
    levels = Counter(t.level.value for t in snapshot.themes)
    accepted = sum(1 for c in snapshot.codings if c.origin.value == "consensus")
    text = (
        f"The findings of {plural(len(studies), 'study', 'studies')} "
        f"({plural(len(snapshot.documents), 'document')}) were coded "
        f"in Synthesist with {plural(len(snapshot.codes), 'code')}, grouped into {levels['descriptive']} "
        f"descriptive and {levels['analytical']} analytical {plural_word(levels['analytical'], 'theme')}. "
        "Coding was done by "
        f"{_people(people, 'coding')}."
    )
    if accepted:
        text += f" {count_phrase(accepted, 'coding', verb=('was', 'were'))} agreed by consensus."
    return section.add(Paragraph(text))


def _cerqual(facts: MethodsFacts) -> Section:
    section = Section("methods-cerqual", "Confidence in the review findings")
    assessed = Counter(e.actor for e in facts.of("cerqual.component_assessed", "cerqual.confidence_set"))
    text = (
        "Confidence in each review finding was assessed with GRADE-CERQual (Lewin et al. 2018) from its "
        "four components: methodological limitations, coherence, adequacy and relevance."
    )
    if assessed:
        text += f" Assessments were made by {_people(assessed, 'assessment')}."
    else:
        section.add(Paragraph("No CERQual component has been assessed yet.", "missing"))
    return section.add(Paragraph(text))
