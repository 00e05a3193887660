"""``synthesist jobs list|show|cancel`` and ``synthesist worker`` (a real consumer process, stopped
with Ctrl+C after it recovered a job a dead worker left and ran it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.review.jobs import JobStatus
from synthesist.review.project import find_project
from synthesist.services.jobs import job_status, submit_job
from synthesist.services.jobs.queue import EAGER_ENV
from synthesist.workspace import open_workspace


def test_jobs_list_show_and_cancel(runner: CliRunner, project_dir: Path) -> None:
    where = ["--project", str(project_dir)]
    ws = open_workspace(find_project(project_dir), actor="aoife")
    try:
        job_id = submit_job(ws, "dedup.run", {"scope": "new"})
    finally:
        ws.close()
    listed = runner.invoke(app, ["jobs", "list", *where])
    assert listed.exit_code == 0, listed.output
    assert "dedup.run" in listed.output and "queued" in listed.output
    as_json = json.loads(runner.invoke(app, ["jobs", "list", "--json", *where]).output)
    assert [(job["id"], job["status"], job["requested_by"]) for job in as_json] == [
        (job_id, "queued", "aoife")
    ]
    shown = runner.invoke(app, ["jobs", "show", str(job_id), *where])
    assert shown.exit_code == 0 and f"Job {job_id}: dedup.run (queued)" in shown.output
    cancelled = runner.invoke(app, ["jobs", "cancel", str(job_id), *where, "--as", "olwen"])
    assert cancelled.exit_code == 0 and "is cancelled" in cancelled.output, cancelled.output
    again = runner.invoke(app, ["jobs", "cancel", str(job_id), *where])
    assert again.exit_code == 1 and "finished already" in again.output
    missing = runner.invoke(app, ["jobs", "show", "999", *where])
    assert missing.exit_code == 1 and "there is no job 999" in missing.output
    wrong = runner.invoke(app, ["jobs", "list", "--status", "sleeping", *where])
    assert wrong.exit_code == 1 and "not a job status" in wrong.output
    assert "No jobs." in runner.invoke(app, ["jobs", "list", "--status", "running", *where]).output


def test_the_worker_recovers_a_dead_job_runs_it_and_stops_on_ctrl_c(project_dir: Path) -> None:
    ws = open_workspace(find_project(project_dir), actor="aoife")
    try:
        job_id = submit_job(ws, "dedup.run", {"scope": "new"})
        with ws.accounts.unit_of_work() as uow:  # as a worker killed mid-job leaves it
            uow.jobs.claim(job_id, "dead", datetime.now(UTC) - timedelta(minutes=5))
            uow.commit()
        environment = {key: value for key, value in os.environ.items() if key != EAGER_ENV}
        worker = subprocess.Popen(
            [str(Path(sys.executable).parent / "synthesist"), "worker", "--project", str(project_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=environment,
        )
        try:
            deadline = time.monotonic() + 60
            while not job_status(ws, job_id).finished and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            worker.send_signal(signal.SIGINT)
            output, _ = worker.communicate(timeout=30)
        done = job_status(ws, job_id)
        assert done.status is JobStatus.DONE, (done, output)
        assert done.attempts == 2
        assert f"Job {job_id} (dedup.run" in output and "queued after a stopped server" in output
        assert "Running jobs of" in output
    finally:
        ws.close()
