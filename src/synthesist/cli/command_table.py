"""Every command of ``synthesist``: its name, where it is defined, and the summary ``synthesist --help``
lists (the first paragraph of its own help, which ``tests/cli`` checks this against).

In the order the help lists them: the plain commands first, then the groups, as Typer orders them. A
plain command names its module under ``synthesist.cli`` and that module's ``register``; a group names
its package and the package's builder (``screen_app``...), which registers the group's sub-commands in
one place. Nothing is imported until the command runs (see ``lazy.py``).
"""

from __future__ import annotations

from synthesist.cli.lazy import LazyCommand

__all__ = ["ROOT_COMMANDS"]

ROOT_COMMANDS: tuple[LazyCommand, ...] = (
    LazyCommand(
        "init",
        "project.lifecycle",
        "register",
        "Create a review project: a commented review.toml (the protocol) and its database.",
    ),
    LazyCommand(
        "status",
        "project.lifecycle",
        "register",
        "Show the project's records per source and per stage.",
    ),
    LazyCommand(
        "log",
        "project.lifecycle",
        "register",
        "Show the event log: every change to the project, who made it and when (oldest first).",
    ),
    LazyCommand(
        "import",
        "project.importing",
        "register",
        "Import database exports as search batches (all-or-nothing unless --skip-invalid).",
    ),
    LazyCommand(
        "export",
        "project.exporting",
        "register",
        "Export records to RIS, CSV, BibTeX or JSON; re-importing the file gives the same records.",
    ),
    LazyCommand(
        "prisma",
        "outputs.prisma",
        "register",
        (
            "Draw the PRISMA 2020 flow diagram from the records and decisions (numbers for steps done "
            "elsewhere can be given in prisma.toml beside review.toml; they are marked in the diagram)."
        ),
    ),
    LazyCommand(
        "report",
        "outputs.report",
        "register",
        (
            "Write the review report: methods written from the protocol and the event log, the results "
            "(PRISMA 2020 diagram, study tables, appraisal, themes, conceptual model, CERQual), the search "
            "strategies and the PRISMA 2020 and ENTREQ checklists with where the report covers each item."
        ),
    ),
    LazyCommand(
        "demo",
        "project.demo",
        "register",
        (
            "Build the worked example: the reference review on patient–professional partnerships in chronic "
            "back pain, as far as its published facts go — protocol, search exports imported, duplicates, "
            "screening (757 + 62 records to 10 included studies), study characteristics, CASP appraisal, "
            "coded findings with the seven themes, the conceptual model and GRADE-CERQual. Everything ships "
            "with Synthesist (no network). Values the review does not publish are illustrative and listed in "
            "ILLUSTRATIVE.md."
        ),
    ),
    LazyCommand(
        "simulate",
        "outputs.simulate",
        "register",
        (
            "Replay a labelled dataset (ASReview's CSV format) as if screening it with prioritisation, and "
            "write WSS@95, recall at 10% and 20%, loss, the recall curve and when each stopping rule fired."
        ),
    ),
    LazyCommand(
        "serve",
        "project.serve",
        "register",
        "Run the web app for the project (log in with an account from `synthesist users add`).",
    ),
    LazyCommand(
        "backup",
        "project.backup",
        "register",
        (
            "Back the project up into one archive: review.toml, full texts, uploaded exports, every other "
            "file of the folder, and a consistent copy of the database (taken while the project may be in "
            "use)."
        ),
    ),
    LazyCommand(
        "restore",
        "project.backup",
        "register",
        (
            "Restore a project from a backup into a new folder; every file is checked against the backup's "
            "checksums before anything is written, and an older backup is brought up to date."
        ),
    ),
    LazyCommand(
        "worker",
        "jobs.worker",
        "register",
        "Run background jobs (imports, deduplication, searches, reports, rankings) until stopped.",
    ),
    LazyCommand(
        "records",
        "records",
        "records_app",
        "List and inspect records.",
    ),
    LazyCommand(
        "dedup",
        "dedup",
        "dedup_app",
        "Find duplicate records, review the uncertain ones, undo a merge.",
    ),
    LazyCommand(
        "screen",
        "screen",
        "screen_app",
        "Screen records: a terminal session one record at a time, or scripted decisions.",
    ),
    LazyCommand(
        "fulltext",
        "fulltext",
        "fulltext_app",
        (
            "Full texts: attach reports (their text is kept page by page), mark those not retrieved, and "
            "group reports of one study."
        ),
    ),
    LazyCommand(
        "appraise",
        "appraise",
        "appraise_app",
        (
            "Critical appraisal of the included studies with a checklist (CASP, JBI, MMAT or your own), "
            "overall ratings from review.toml's rating rules, and the appraisal table and plots."
        ),
    ),
    LazyCommand(
        "extract",
        "extract",
        "extract_app",
        "Extract data from the included studies: a terminal session field by field, or scripted.",
    ),
    LazyCommand(
        "doc",
        "synthesis",
        "doc_app",
        (
            "Documents to code: the findings text of each included study, from its full-text report, a file "
            "or pasted text, cut into numbered segments (sentences and lines)."
        ),
    ),
    LazyCommand(
        "code",
        "synthesis",
        "code_app",
        (
            "Codes: apply them to spans of the documents (as a participant quote or an author "
            "interpretation), keep the codebook's codes (define, rename, merge, split, memos), and reach "
            "consensus between two coders."
        ),
    ),
    LazyCommand(
        "theme",
        "synthesis",
        "theme_app",
        (
            "Themes: descriptive themes group codes, analytical themes group descriptive ones; a coding "
            "counts for every theme above its code."
        ),
    ),
    LazyCommand(
        "codebook",
        "synthesis",
        "codebook_app",
        (
            "The codebook: themes with their definitions and key terms, and codes, written in the codebook "
            "section of review.toml or the file it names."
        ),
    ),
    LazyCommand(
        "synthesis",
        "synthesis",
        "synthesis_app",
        (
            "Thematic synthesis: suggestions from the assistant, agreement between coders, and the outputs "
            "built from the coding (theme × study matrix, evidence, sensitivity, conceptual model)."
        ),
    ),
    LazyCommand(
        "cerqual",
        "cerqual",
        "cerqual_app",
        (
            "GRADE-CERQual: how much confidence each review finding deserves — its contributing studies (from"
            " the coding of its themes), the four components (methodological limitations, pre-filled from the"
            " appraisal ratings; coherence; adequacy, with the numbers of studies and participants; "
            "relevance), the overall confidence, and the Summary of Qualitative Findings table."
        ),
    ),
    LazyCommand(
        "search",
        "search",
        "search_app",
        "Search strategies: translate them between databases, run them on free sources, and update.",
    ),
    LazyCommand(
        "users",
        "users",
        "users_app",
        "Accounts for the web app (they live in the project's database).",
    ),
    LazyCommand(
        "members",
        "users",
        "members_app",
        "Who may open a project in the web app, and with which role.",
    ),
    LazyCommand(
        "site",
        "site",
        "site_app",
        "A site: one team server hosting many reviews, with one set of accounts.",
    ),
    LazyCommand(
        "jobs",
        "jobs",
        "jobs_app",
        "Background jobs (imports, deduplication, searches, reports, rankings): list, show, cancel.",
    ),
)
