"""The command server (cli/command_server.py) behind the launcher (cli/launch.py): a command run
through it behaves as the same command run in a fresh process: output, exit code, environment,
working folder and standard input. Each test runs its own server in a temporary runtime folder and
kills it (and any server the launcher started there) afterwards; nothing waits on a clock."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synthesist.cli.launch import eligible, server_supported, socket_path
from synthesist.cli.main import app
from tests.helpers import ris_text

pytestmark = pytest.mark.skipif(not server_supported(), reason="the command server needs Linux (SO_PEERCRED)")

SYNTHESIST = Path(sys.executable).with_name("synthesist")
NOT_SERVED = 99
# A client that goes through the server only: exit NOT_SERVED where the launcher would fall back.
CLIENT = (
    "import sys\n"
    "from synthesist.cli.launch import run_through_server\n"
    "code = run_through_server(['synthesist', *sys.argv[1:]])\n"
    f"sys.exit({NOT_SERVED} if code is None else code)\n"
)
PUBMED = '#1 "back pain"[tiab]\n#2 #1 AND english[la]\n'


class Server:
    def __init__(self, runtime: Path, environ: dict[str, str], idle: float = 600) -> None:
        folder = runtime / "synthesist"
        command = [sys.executable, "-P", "-m", "synthesist.cli.command_server", "--folder", str(folder)]
        command += ["--idle", str(idle)]
        self.process = subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # printed once it accepts requests
        assert line.startswith("listening "), line
        self.path = Path(line.removeprefix("listening ").strip())
        self.folder = folder


def _stop_servers(runtime: Path) -> None:
    """Every server started for ``runtime`` (by a test, or by the launcher after running a command
    itself, maybe still loading): found by the folder in its command line, then SIGTERM."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            arguments = cmdline.read_bytes().split(b"\0")
            if b"synthesist.cli.command_server" in arguments and any(
                str(runtime).encode() in argument for argument in arguments
            ):
                os.kill(int(cmdline.parent.name), signal.SIGTERM)


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # Not under tmp_path: a Unix socket's path must stay under 108 bytes.
    folder = Path(tempfile.mkdtemp(prefix="syn-run-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    monkeypatch.delenv("SYNTHESIST_NO_SERVER")
    monkeypatch.setenv("SYNTHESIST_SERVER_IDLE", "60")  # a server the launcher starts goes away soon too
    yield folder
    _stop_servers(folder)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server(runtime: Path) -> Iterator[Server]:
    running = Server(runtime, dict(os.environ))
    yield running
    running.process.terminate()
    running.process.wait()
    assert running.process.stdout is not None
    running.process.stdout.close()


@pytest.fixture
def project(tmp_path: Path, runner: CliRunner) -> Path:
    folder = tmp_path / "review"
    export = tmp_path / "records.ris"
    export.write_text(ris_text(4), encoding="utf-8")
    for setup in (
        ["init", str(folder), "--title", "Served review"],
        ["import", str(export), "--source", "MEDLINE", "--project", str(folder)],
    ):
        result = runner.invoke(app, setup)
        assert result.exit_code == 0, result.output
    return folder


def served(
    *args: str, cwd: Path, stdin: str | None = None, **environ: str
) -> subprocess.CompletedProcess[str]:
    """``synthesist ARGS`` through the running server (exit NOT_SERVED if none took it)."""
    env = {**os.environ, **environ}
    return subprocess.run(
        [sys.executable, "-c", CLIENT, *args],
        cwd=cwd,
        env=env,
        input=stdin or "",
        capture_output=True,
        text=True,
    )


def in_process(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``synthesist ARGS`` as a fresh process, without the server."""
    env = {**os.environ, "SYNTHESIST_NO_SERVER": "1"}
    return subprocess.run(
        [SYNTHESIST, *args], cwd=cwd, env=env, input=stdin or "", capture_output=True, text=True
    )


def same(through_server: subprocess.CompletedProcess[str], fresh: subprocess.CompletedProcess[str]) -> None:
    assert (through_server.returncode, through_server.stdout, through_server.stderr) == (
        fresh.returncode,
        fresh.stdout,
        fresh.stderr,
    )


def test_status_through_the_server_is_the_same_as_in_process(server: Server, project: Path) -> None:
    through_server = served("status", cwd=project)
    assert through_server.returncode == 0, through_server.stderr
    assert "Served review" in through_server.stdout  # the project was found from the working folder
    same(through_server, in_process("status", cwd=project))


def test_a_user_error_gives_the_same_message_and_exit_code(server: Server, project: Path) -> None:
    through_server = served("records", "show", "999", cwd=project)
    assert through_server.returncode == 1
    assert "no record 999" in through_server.stderr
    same(through_server, in_process("records", "show", "999", cwd=project))


def test_the_environment_passes_to_the_command(
    database_url: str | None, server: Server, project: Path
) -> None:
    """The reviewer's name, and on PostgreSQL the database URL, come from the client's environment."""
    decided = served("screen", "decide", "2", "include", cwd=project, SYNTHESIST_USER="alice")
    assert decided.returncode == 0, decided.stderr
    log = served("log", cwd=project)
    assert log.returncode == 0, log.stderr
    assert any("alice" in line and "include" in line for line in log.stdout.splitlines()), log.stdout
    assert "tester" not in log.stdout.split("alice")[-1]


def test_the_working_folder_passes_to_the_command(server: Server, project: Path) -> None:
    inside = project / "notes" / "drafts"
    inside.mkdir(parents=True)
    through_server = served("records", "list", cwd=inside)  # found upwards from a sub-folder
    assert through_server.returncode == 0, through_server.stderr
    same(through_server, in_process("records", "list", cwd=inside))


def test_standard_input_passes_to_the_command(server: Server, project: Path) -> None:
    through_server = served("search", "parse", "-", "--from", "pubmed", cwd=project, stdin=PUBMED)
    assert through_server.returncode == 0, through_server.stderr
    assert "back pain" in through_server.stdout
    same(through_server, in_process("search", "parse", "-", "--from", "pubmed", cwd=project, stdin=PUBMED))


def test_another_installation_s_server_is_not_used(runtime: Path, project: Path) -> None:
    # PYTHONWARNINGS is a start-up variable, part of the fingerprint: that server is "another install".
    other = Server(runtime, {**os.environ, "PYTHONWARNINGS": "ignore"})
    try:
        assert other.path != Path(socket_path())
        assert served("status", cwd=project).returncode == NOT_SERVED
        # the launcher falls back to running the command itself, with the same result
        fallback = subprocess.run([SYNTHESIST, "status"], cwd=project, capture_output=True, text=True)
        same(fallback, in_process("status", cwd=project))
    finally:
        other.process.terminate()
        other.process.wait()
        assert other.process.stdout is not None
        other.process.stdout.close()


def test_the_socket_folder_is_private(server: Server) -> None:
    assert stat.S_IMODE(server.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(server.path.stat().st_mode) == 0o600
    assert server.path.parent == server.folder


def test_a_stale_socket_file_makes_the_launcher_run_the_command_itself(runtime: Path, project: Path) -> None:
    folder = runtime / "synthesist"
    folder.mkdir(mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(socket_path(str(folder)))  # a file no server listens on any more
    stale.close()
    assert served("status", cwd=project).returncode == NOT_SERVED
    same(
        subprocess.run([SYNTHESIST, "status"], cwd=project, capture_output=True, text=True),
        in_process("status", cwd=project),
    )


def test_a_second_server_for_the_same_installation_leaves_at_once(server: Server) -> None:
    command = [sys.executable, "-P", "-m", "synthesist.cli.command_server"]
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert (second.returncode, second.stdout) == (0, "")
    assert server.process.poll() is None  # the first one still serves


def test_the_server_exits_when_idle(runtime: Path) -> None:
    idle = Server(runtime, dict(os.environ), idle=0.2)
    assert idle.process.wait(timeout=120) == 0
    assert not idle.path.exists()
    assert idle.process.stdout is not None
    idle.process.stdout.close()


def test_two_requests_at_once_both_complete(server: Server, project: Path) -> None:
    env = dict(os.environ)
    first, second = (
        subprocess.Popen(
            [sys.executable, "-c", CLIENT, *args], cwd=project, env=env, stdout=subprocess.PIPE, text=True
        )
        for args in (("status",), ("records", "show", "1"))
    )
    outputs = [process.communicate()[0] for process in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0)
    assert "Served review" in outputs[0] and "Patient-centredness in physiotherapy 1" in outputs[1]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["status"], True),
        (["records", "show", "3"], True),
        (["screen", "decide", "3", "include"], True),
        (["log"], True),
        (["screen"], False),  # the terminal session
        (["screen", "decide", "--help"], False),
        (["--version"], False),
        (["import", "x.ris"], False),
        (["serve"], False),
        ([], False),
    ],
)
def test_which_commands_go_to_the_server(args: list[str], expected: bool) -> None:
    assert eligible(args) is expected


def test_the_launcher_imports_only_the_standard_library() -> None:
    """It runs before every command: anything it imports, every command pays for."""
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import synthesist.cli.launch\n"
        "print(' '.join(sorted(set(sys.modules) - before)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in done.stdout.split()} - {"synthesist"}
    assert loaded <= set(sys.stdlib_module_names), sorted(loaded - set(sys.stdlib_module_names))
