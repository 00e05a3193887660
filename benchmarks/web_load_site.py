"""The site the web load benchmark runs against: ``--reviews`` reviews on one Synthesist site, each
with its own reviewers, synthetic records and a precomputed screening ranking, served by
``synthesist serve --site`` with ``--workers`` web processes (as in production)."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import tomlkit

from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.review.site import new_site_files
from synthesist.screening.model import Stage
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.workspace import open_accounts, open_workspace

__all__ = [
    "PASSWORD",
    "SiteReview",
    "build_site",
    "fresh_postgres_database",
    "running_server",
    "serving",
    "synthetic_ris",
]

PASSWORD = "load-test-password"
WORDS = [
    "physiotherapy",
    "back",
    "pain",
    "chronic",
    "patient",
    "partnership",
    "self-management",
    "qualitative",
    "interview",
    "trial",
    "cohort",
    "exercise",
    "therapy",
    "adults",
    "children",
    "diabetes",
    "insulin",
    "cancer",
    "surgery",
    "outcome",
    "hospital",
    "primary",
    "care",
    "nurse",
    "education",
    "adherence",
    "intervention",
    "randomised",
    "systematic",
    "review",
    "telehealth",
    "community",
    "barriers",
    "facilitators",
    "experience",
    "quality",
    "life",
    "mortality",
    "rehabilitation",
    "stroke",
    "knee",
    "hip",
]


@dataclass(frozen=True)
class SiteReview:
    key: str
    folder: Path
    reviewers: tuple[str, ...]


def synthetic_ris(count: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    entries = []
    for n in range(1, count + 1):
        title = " ".join(rng.choices(WORDS, k=8)).capitalize()
        abstract = " ".join(rng.choices(WORDS, k=120)).capitalize() + "."
        entries.append(
            f"TY  - JOUR\nID  - {n}\nAU  - Author{n % 97}, A.\nTI  - {title} {n}\nJO  - Journal {n % 13}\n"
            f"PY  - {1990 + n % 35}\nDO  - 10.5555/load.{n}\nAB  - {abstract}\nER  - \n"
        )
    return "\n".join(entries)


def build_site(
    root: Path,
    *,
    reviews: int,
    reviewers_per_review: int,
    records: int,
    database_url: str | None,
    mode: str = "dual",
) -> list[SiteReview]:
    """A site at ``root`` with ``reviews`` reviews; every reviewer is an account on the site and a
    member of one review, listed as its title/abstract screener; each review's ranking is trained."""
    from synthesist.services.screening.ranking_store import train_ranking

    site = new_site_files(root, "Web load benchmark", database_url)
    accounts = open_accounts(site, actor="benchmark")
    built: list[SiteReview] = []
    try:
        for number in range(1, reviews + 1):
            staging = site.reviews_folder / f"new-{number}"
            init_project(staging, f"Web load review {number}").close()
            document = tomlkit.parse((staging / "review.toml").read_text(encoding="utf-8"))
            key = str(document["project_id"])
            names = [f"r{number}-{n:02d}" for n in range(1, reviewers_per_review + 1)]
            if database_url:
                document["database_url"] = database_url
            document["screening"]["title_abstract"]["mode"] = mode  # type: ignore[index]
            document["screening"]["title_abstract"]["reviewers"] = names  # type: ignore[index]
            (staging / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
            folder = staging.rename(site.review_folder(key))
            for stale in folder.glob("review.db*"):  # init made one beside the old name's protocol
                stale.unlink()
            for name in names:
                add_user(accounts, name, PASSWORD)
            workspace = open_workspace(find_project(folder), actor="benchmark", create=True)
            try:
                export = folder / "records.ris"
                export.write_text(synthetic_ris(records, seed=number), encoding="utf-8")
                import_files(workspace, ImportRequest(paths=[export], source="Synthetic"))
                for name in names:
                    add_member(workspace, name, Role.REVIEWER)
                train_ranking(workspace, Stage.TITLE_ABSTRACT)
            finally:
                workspace.close()
            built.append(SiteReview(key, folder, tuple(names)))
    finally:
        accounts.close()
    return built


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(site: Path, log: Path, options: Sequence[str] = ()) -> Iterator[str]:
    """``synthesist serve --site`` (with ``options``) on a free port until the block ends; yields its URL."""
    with serving(["--site", str(site), *options], log) as base:
        yield base


@contextmanager
def serving(arguments: Sequence[str], log: Path, environment: dict[str, str] | None = None) -> Iterator[str]:
    """``synthesist serve`` with ``arguments`` on a free port until the block ends; yields its URL once
    the login page answers."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "synthesist"), "serve", *arguments, "--port", str(port)]
    with log.open("w") as out:
        server = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=environment, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; see {log}:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new database on the server of ``server_url``, dropped afterwards; yields its URL."""
    import psycopg

    name = f"synthesist_web_load_{os.getpid()}"
    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
