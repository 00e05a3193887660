"""The per-user command server behind :mod:`synthesist.cli.launch`: the short commands, warm.

It imports what the eligible commands need (the command line, their command modules, SQLAlchemy, the
storage schema, the protocol's pydantic models) once, opens no database and starts no thread, then
waits on a Unix socket in the user's private runtime folder. Each connection from the same user is
served by a forked child, so every command runs in a clean process of its own, as if started fresh:
the child takes the client's standard streams (passed as file descriptors, so the terminal, its width
and colours are the client's), working folder, whole environment, umask and arguments, tells the
client its pid (the client forwards Ctrl-C to it), runs the command and sends back the exit code.
The server itself keeps no request state; it reaps its children and exits after
``SYNTHESIST_SERVER_IDLE`` seconds (600 by default) without a request, or within half a minute
of its installation changing.

    python -m synthesist.cli.command_server [--folder DIR] [--idle SECONDS]

prints ``listening PATH`` once it accepts requests (the launcher starts it detached, output discarded).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import importlib
import io
import marshal
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO, cast

from synthesist.cli.launch import (
    ELIGIBLE_COMMANDS,
    HEADER_BYTES,
    IDLE_ENV,
    lock_path,
    peer_uid,
    private_folder,
    runtime_folder,
    server_supported,
    socket_path,
)

if TYPE_CHECKING:
    from typer.core import TyperGroup

__all__ = ["main", "serve"]

DEFAULT_IDLE_SECONDS = 600.0
# How often a waiting server checks whether it is idle or superseded by an upgraded installation.
_CHECK_SECONDS = 30.0
_MAX_REQUEST_BYTES = 16 * 1024 * 1024
# Modules the eligible commands import while they run (beyond their command modules), found by
# running them on a project: loading them here saves each command that much.
_ALSO_PRELOADED = (
    "sqlalchemy.dialects.sqlite",
    "pydantic.type_adapter",
    "synthesist.storage.schema",
    "synthesist.storage.repositories",
    "synthesist.review.protocol",
    "synthesist.services.reporting.prisma",
)
# Modules that read the environment when imported: forgotten in each child, which imports them again
# under the client's environment if its command needs them (Typer's help and error formatting).
_IMPORT_TIME_ENVIRONMENT_READERS = ("typer.rich_utils",)


class _Preloaded:
    """The click command of the app, built once, and the Rich consoles made at import time."""

    def __init__(self) -> None:
        from rich.console import Console
        from typer.main import get_command

        consoles: list[tuple[Console, tuple[Any, ...], dict[str, Any]]] = []
        original_init = Console.__init__

        def recording_init(console: Console, *args: Any, **kwargs: Any) -> None:
            original_init(console, *args, **kwargs)
            consoles.append((console, args, kwargs))

        # Module-level consoles read the terminal (is it one? colours? COLUMNS?) when made: record how
        # each was made, so that each child makes it again on the client's terminal.
        Console.__init__ = recording_init  # type: ignore[method-assign,assignment]
        try:
            from synthesist.cli.main import app

            self.group = cast("TyperGroup", get_command(app))
            for name in sorted({command[0] for command in ELIGIBLE_COMMANDS}):
                self.group.commands[name]  # imports the command's modules and builds it
            for module in _ALSO_PRELOADED:
                importlib.import_module(module)
        finally:
            Console.__init__ = original_init  # type: ignore[method-assign]
        self.consoles = consoles
        for name in _IMPORT_TIME_ENVIRONMENT_READERS:
            if sys.modules.pop(name, None) is not None:
                parent, _, child = name.rpartition(".")
                # `from . import child` finds the package's attribute before sys.modules
                vars(sys.modules[parent]).pop(child, None)

    def remake_consoles(self) -> None:
        import rich

        for console, args, kwargs in self.consoles:
            type(console).__init__(console, *args, **kwargs)
        rich._console = None  # rich.get_console()'s own, made on first use


def _receive_request(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, fds, _flags, _address = socket.recv_fds(connection, 65536, 3)
    while len(data) < HEADER_BYTES:
        more = connection.recv(65536)
        if not more:
            raise ConnectionError("the client left before sending its request")
        data += more
    length = int.from_bytes(data[:HEADER_BYTES], "big")
    if length > _MAX_REQUEST_BYTES:
        raise ConnectionError("request too large")
    while len(data) < HEADER_BYTES + length:
        more = connection.recv(65536)
        if not more:
            raise ConnectionError("the client left in the middle of its request")
        data += more
    # marshal only ever reads what a process of this same user sent (checked before the fork).
    request: dict[str, Any] = marshal.loads(data[HEADER_BYTES : HEADER_BYTES + length])
    return request, list(fds)


def _send(connection: socket.socket, word: str, number: int) -> None:
    connection.sendall(f"{word} {number}\n".encode("ascii"))


def _reopen_standard_streams() -> None:
    """New ``sys.stdin/stdout/stderr`` on the client's descriptors, buffered as Python would them."""
    io_encoding = os.environ.get("PYTHONIOENCODING", "")
    encoding, _, errors = io_encoding.partition(":")
    settings = (
        (0, "r", "stdin", errors or "strict"),
        (1, "w", "stdout", errors or "strict"),
        (2, "w", "stderr", "backslashreplace"),
    )
    for fd, mode, name, stream_errors in settings:
        current: TextIO = getattr(sys, name)
        interactive = os.isatty(fd)
        stream = io.TextIOWrapper(
            io.BufferedReader(io.FileIO(fd, "r", closefd=False))
            if mode == "r"
            else io.BufferedWriter(io.FileIO(fd, "w", closefd=False)),
            encoding=encoding or current.encoding,
            errors=stream_errors,
            # stdout line by line on a terminal, stderr always (as Python does); stdin as read.
            line_buffering=name == "stderr" or (name == "stdout" and interactive),
            write_through=name == "stderr",
        )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _exit_status(exit: SystemExit) -> int:
    """The status a Python process exits with for ``exit``, as the interpreter computes it."""
    if exit.code is None:
        return 0
    if isinstance(exit.code, int):
        return exit.code
    sys.stderr.write(f"{exit.code}\n")
    return 1


def _run_command(preloaded: _Preloaded, argv: list[str]) -> int:
    sys.argv = argv
    try:
        preloaded.group(args=argv[1:], prog_name=os.path.basename(argv[0]))
    except SystemExit as exit:
        status = _exit_status(exit)
    except KeyboardInterrupt:
        status = 128 + signal.SIGINT
    except BaseException:
        traceback.print_exc()
        status = 1
    else:
        status = 0
    atexit._run_exitfuncs()  # what the preloaded libraries registered: a fresh process runs them too
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # the reader went away: as at a fresh exit
            stream.flush()
    return status


def _serve_one(connection: socket.socket, preloaded: _Preloaded) -> int:
    """In the forked child: take over the client's process state, run its command, report."""
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        request, fds = _receive_request(connection)
    except (OSError, ValueError):
        return 1  # the client left or spoke nonsense: it falls back to running the command itself
    if len(fds) != 3:
        return 1
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    try:
        os.chdir(request["cwd"])
    except OSError:
        return 1  # the folder went away: the client runs the command itself and says so
    try:
        _send(connection, "pid", os.getpid())
    except OSError:
        return 1  # the client is gone and will not wait for this command: do not run it
    os.umask(request["umask"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # local time follows the client's TZ, read by the C library only when asked
    _reopen_standard_streams()
    preloaded.remake_consoles()
    status = _run_command(preloaded, request["argv"])
    with contextlib.suppress(OSError):  # the client went away: nobody to tell
        _send(connection, "exit", status)
    return status


def _reap_children(number: int, frame: FrameType | None) -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _answering(path: str) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with probe:
        try:
            probe.connect(path)
        except OSError:
            return False
    return True


def _listen(path: str) -> socket.socket | None:
    """Listen at ``path``, or None if a server already answers there (a stale socket file is replaced)."""
    if _answering(path):
        return None
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    staging = f"{path}.{os.getpid()}"
    previous_umask = os.umask(0o177)  # the socket file is born 0600
    try:
        listener.bind(staging)
    finally:
        os.umask(previous_umask)
    os.chmod(staging, 0o600)
    listener.listen(64)
    os.rename(staging, path)  # atomic: a client sees the old file or the new socket, never neither
    return listener


def serve(folder: str, idle_seconds: float, announce: TextIO | None = None) -> None:
    """Serve requests at this installation's socket in ``folder`` until idle for ``idle_seconds``."""
    if not server_supported() or not private_folder(folder, create=True):
        return
    os.chdir("/")  # hold no folder of the user's busy
    path = socket_path(folder)
    lock = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        # One server per installation: launchers that found none while this one was starting
        # start more, which leave at once instead of loading everything.
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        return
    try:
        _serve_at(path, idle_seconds, announce, lock)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path(path))
        os.close(lock)


def _superseded(path: str, identity: int) -> bool:
    """Whether this server should leave before its idle time: its installation changed (upgraded or
    edited: new clients look for another socket), or its socket file is gone or another's."""
    try:
        if os.stat(path).st_ino != identity:
            return True
    except OSError:
        return True
    return socket_path(os.path.dirname(path)) != path


def _serve_at(path: str, idle_seconds: float, announce: TextIO | None, lock: int) -> None:
    preloaded = _Preloaded()
    listener = _listen(path)
    if listener is None:
        return
    identity = os.stat(path).st_ino
    signal.signal(signal.SIGCHLD, _reap_children)
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    listener.settimeout(min(idle_seconds, _CHECK_SECONDS))
    if announce is not None:
        announce.write(f"listening {path}\n")
        announce.flush()
    try:
        last_request = time.monotonic()
        while True:
            try:
                connection, _address = listener.accept()
            except TimeoutError:
                if time.monotonic() - last_request >= idle_seconds or _superseded(path, identity):
                    return
                continue
            last_request = time.monotonic()
            with connection:
                if peer_uid(connection) != os.getuid():
                    continue  # another user's process: refused, unanswered
                connection.settimeout(None)
                child = os.fork()
                if child == 0:
                    listener.close()
                    os.close(lock)  # the lock is the server's, not its commands'
                    os._exit(_serve_one(connection, preloaded))
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == identity:  # not a newer server's socket
                os.unlink(path)


def _idle_seconds(value: str | None) -> float:
    try:
        return float(value) if value else DEFAULT_IDLE_SECONDS
    except ValueError:
        return DEFAULT_IDLE_SECONDS


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--folder", default=None, help="The private runtime folder (default: as the launcher's)."
    )
    parser.add_argument(
        "--idle", type=float, default=None, help=f"Idle seconds before exiting (${IDLE_ENV})."
    )
    args = parser.parse_args(argv)
    idle = args.idle if args.idle is not None else _idle_seconds(os.environ.get(IDLE_ENV))
    serve(args.folder or runtime_folder(), idle, announce=sys.stdout)


if __name__ == "__main__":
    main()
