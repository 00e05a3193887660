"""The ``synthesist`` console script: a thin launcher in front of a per-user command server.

A cold ``synthesist status`` spends most of its time importing (SQLAlchemy alone takes 0.2 s on a small
machine), which a reviewer scripting 300 ``screen decide`` calls pays 300 times. So, as Mercurial's
``chg`` and Gradle's daemon do, the short commands are handed to a server that has those imports done
(:mod:`synthesist.cli.command_server`): it forks a fresh child per command, which takes this process's
standard streams, working folder, environment, umask and arguments, runs the command and reports its
exit code, with which this process exits.

This module runs before every command, so it imports only modules built into the interpreter
(``_socket``, ``_signal``, ``marshal``): the Python-level ``socket``, ``signal`` and ``json`` bring
``enum`` and ``re`` along, which cost more than a warm command's own work on a busy 2-core machine.
Everything else (other commands, ``--help``, no server answering, ``SYNTHESIST_NO_SERVER=1``, Windows)
runs in this process exactly as without a server; when an eligible command found no server, one is
started in the background after the command, for next time. A command is never run twice: the
server's child says its pid before it starts, and once the pid is known this process reports that
child's exit code (or a clear error), never falls back.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # signal.py itself would import enum
import _socket
import marshal
import os
import sys

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (and re and enum with it)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from types import FrameType

__all__ = [
    "ELIGIBLE_COMMANDS",
    "HEADER_BYTES",
    "IDLE_ENV",
    "NO_SERVER_ENV",
    "eligible",
    "fingerprint",
    "lock_path",
    "main",
    "peer_uid",
    "run_through_server",
    "runtime_folder",
    "server_supported",
    "socket_path",
    "start_server",
]

NO_SERVER_ENV = "SYNTHESIST_NO_SERVER"
IDLE_ENV = "SYNTHESIST_SERVER_IDLE"

# The short, non-interactive commands a person or a script runs again and again (between steps, or
# 300 times in a loop): they read or change a few rows and print a little. Not here: ``--help`` and
# ``--version`` (already quick in-process), terminal sessions (``screen`` without a sub-command, which
# read keys), and long or heavy commands (``import``, ``serve``, ``demo``, ``report``...), where start-up
# is a small part of the time and a clean process of their own is simpler to reason about.
# ``search parse`` reads a pasted strategy from stdin in pipes (``pbpaste | synthesist search parse -``).
ELIGIBLE_COMMANDS: frozenset[tuple[str, ...]] = frozenset(
    {
        ("status",),
        ("log",),
        ("records", "list"),
        ("records", "show"),
        ("records", "batches"),
        ("records", "rejects"),
        ("screen", "decide"),
        ("screen", "undo"),
        ("screen", "conflicts"),
        ("screen", "resolve"),
        ("screen", "progress"),
        ("screen", "decisions"),
        ("search", "parse"),
    }
)
_HELP_OPTIONS = frozenset({"--help", "-h"})
# Variables read when Python or a library starts (what is imported from where, warnings, text
# encodings, Typer's output mode): a server started under other values would behave differently from
# a fresh process, so they are part of the server's name and each set of values gets its own server.
_STARTUP_VARIABLES = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSAFEPATH",
    "PYTHONNOUSERSITE",
    "PYTHONUSERBASE",
    "PYTHONOPTIMIZE",
    "PYTHONWARNINGS",
    "PYTHONDEVMODE",
    "PYTHONUTF8",
    "PYTHONIOENCODING",
    "PYTHONINTMAXSTRDIGITS",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TYPER_USE_RICH",
    "TYPER_STANDARD_TRACEBACK",
    "_TYPER_STANDARD_TRACEBACK",
)
# The request: its length in 4 bytes (big-endian), then the marshalled dict of argv, cwd, env, umask
# (marshal: built in, and keeps any undecodable bytes of the environment as they are). The replies are
# lines: ``pid N`` when the child has the request, ``exit N`` when the command is done.
HEADER_BYTES = 4
_EXIT_WHEN_CONNECTION_LOST = 1
_FORWARDED_SIGNALS = tuple(
    getattr(_signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(_signal, name)
)


def server_supported() -> bool:
    """Unix sockets with peer credentials (Linux): elsewhere commands always run in-process."""
    return hasattr(_socket, "AF_UNIX") and hasattr(_socket, "SO_PEERCRED") and hasattr(os, "fork")


def eligible(args: Sequence[str]) -> bool:
    """Whether ``synthesist ARGS`` is one of :data:`ELIGIBLE_COMMANDS` (and not asking for help)."""
    if not args or _HELP_OPTIONS.intersection(args):
        return False
    return tuple(args[:1]) in ELIGIBLE_COMMANDS or tuple(args[:2]) in ELIGIBLE_COMMANDS


def runtime_folder() -> str:
    """This user's private socket folder: ``$XDG_RUNTIME_DIR/synthesist`` or ``/tmp/synthesist-UID``."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime):
        return os.path.join(runtime, "synthesist")
    return os.path.join("/tmp", f"synthesist-{os.getuid()}")


def private_folder(folder: str, create: bool) -> bool:
    """Whether ``folder`` is a real folder of this user that no one else may enter (created if asked)."""
    if create:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
    try:
        status = os.lstat(folder)
    except OSError:
        return False
    is_folder = (status.st_mode & 0o170000) == 0o040000  # not a symlink somebody planted
    return is_folder and status.st_uid == os.getuid() and status.st_mode & 0o077 == 0


def _newest_mtime(folder: str) -> int:
    newest = 0
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    newest = max(newest, entry.stat().st_mtime_ns)
    return newest


def _site_folders() -> list[str]:
    import site  # already imported by the interpreter at start-up: free

    folders = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    return folders


def fingerprint(environ: Mapping[str, str] | None = None) -> str:
    """What identifies this installation: a server answers only clients with the same fingerprint.

    The interpreter, the package's folder and version, the newest ``.py`` file of the package (an
    edited checkout), the site-packages folders' mtimes (``pip install`` changes them) and the
    start-up variables. Only ``stat`` calls, a few milliseconds.
    """
    import synthesist  # its __init__ holds the version only

    environ = os.environ if environ is None else environ
    package = os.path.dirname(os.path.abspath(synthesist.__file__))
    parts = [sys.executable, package, synthesist.__version__, str(_newest_mtime(package))]
    for folder in _site_folders():
        try:
            parts.append(f"{folder}={os.stat(folder).st_mtime_ns}")
        except OSError:
            parts.append(f"{folder}=-")
    parts += [f"{name}={environ.get(name, '')}" for name in _STARTUP_VARIABLES]
    return _digest("\0".join(parts))


def _digest(text: str) -> str:
    # FNV-1a, 64 bits: stdlib-free and instant; a collision only makes a server answer an install
    # that is not its own, and the parts it hashes change together with any real upgrade.
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8", "surrogateescape"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def socket_path(folder: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    return os.path.join(folder or runtime_folder(), f"server-{fingerprint(environ)}.sock")


def lock_path(socket_file: str) -> str:
    """The file a starting server locks, so that one installation has one server."""
    return socket_file.removesuffix(".sock") + ".lock"


def _server_starting_or_running(folder: str) -> bool:
    import fcntl  # built in; only needed after a command that found no server

    try:
        lock = os.open(lock_path(socket_path(folder)), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(lock)  # releases the lock, if taken: the server takes it again
    return False


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def peer_uid(connection: _socket.socket) -> int:
    """The user id of the process at the other end (``SO_PEERCRED``: pid, uid, gid as C ints)."""
    credentials = connection.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
    return int.from_bytes(credentials[4:8], sys.byteorder, signed=True)


def _send_request(connection: _socket.socket, argv: Sequence[str]) -> None:
    payload = marshal.dumps(
        {"argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ), "umask": _umask()}
    )
    message = len(payload).to_bytes(HEADER_BYTES, "big") + payload
    # The three standard streams travel as file descriptors (SCM_RIGHTS) with the first bytes.
    fds = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in (0, 1, 2))
    sent = connection.sendmsg([message], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
    connection.sendall(message[sent:])


class _SignalForwarder:
    """Ctrl-C and friends reach this process (the terminal's foreground one): pass them to the child.

    Signals that arrive before the child's pid is known are kept and forwarded once it is.
    """

    def __init__(self) -> None:
        self.child: int | None = None
        self.received: list[int] = []
        self._previous: dict[int, object] = {}

    def __enter__(self) -> _SignalForwarder:
        for number in _FORWARDED_SIGNALS:
            self._previous[number] = _signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for number, handler in self._previous.items():
            _signal.signal(number, handler)

    def _handle(self, number: int, frame: FrameType | None) -> None:
        self.received.append(number)
        if self.child is not None:
            self._forward(number)

    def started(self, child: int) -> None:
        self.child = child
        for number in self.received:
            self._forward(number)

    def _forward(self, number: int) -> None:
        if self.child is None:
            return
        try:
            os.kill(self.child, number)
        except ProcessLookupError:
            self.child = None  # it has just finished: nothing more to pass on


class _Replies:
    """The server's reply lines, ``WORD NUMBER``, read as they come."""

    def __init__(self, connection: _socket.socket) -> None:
        self._connection = connection
        self._pending = b""

    def read(self, word: str) -> int | None:
        """The number of the next line if it is ``word N``; None if the connection closed first."""
        while b"\n" not in self._pending:
            received = self._connection.recv(4096)
            if not received:
                return None
            self._pending += received
        line, _, self._pending = self._pending.partition(b"\n")
        name, _, number = line.decode("ascii").partition(" ")
        if name != word:
            raise ValueError(f"expected {word!r} from the command server, got {line!r}")
        return int(number)


def run_through_server(argv: Sequence[str], folder: str | None = None) -> int | None:
    """Run ``argv`` in the command server: its exit code, or None if no server took it (run it here).

    None only when the command cannot have started; after that, a lost connection is reported.
    """
    folder = folder or runtime_folder()
    if not private_folder(folder, create=False):
        return None
    path = socket_path(folder)
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        with _SignalForwarder() as forwarder:
            return _converse(connection, path, argv, forwarder)
    finally:
        connection.close()


def _converse(
    connection: _socket.socket, path: str, argv: Sequence[str], forwarder: _SignalForwarder
) -> int | None:
    replies = _Replies(connection)
    try:
        connection.connect(path)
        if peer_uid(connection) != os.getuid():
            return None
        _send_request(connection, argv)
        child = replies.read("pid")
    except (OSError, ValueError):
        child = None
    if child is None:
        if forwarder.received:  # interrupted before anything ran: stop, as a fresh process would
            return 128 + forwarder.received[0]
        return None
    forwarder.started(child)
    try:
        status = replies.read("exit")
    except (OSError, ValueError):
        status = None
    if status is not None:
        return status
    if forwarder.received:
        # The child died of the signal we passed on: die of it too, as the shell expects.
        number = forwarder.received[-1]
        _signal.signal(number, _signal.SIG_DFL)
        os.kill(os.getpid(), number)
    sys.stderr.write(
        f"synthesist: lost contact with the command (process {child}) in the command server; it may "
        "or may not have finished. Check with `synthesist log`, and set "
        f"{NO_SERVER_ENV}=1 to run commands without the server.\n"
    )
    return _EXIT_WHEN_CONNECTION_LOST


def start_server() -> None:
    """Start this installation's command server in the background, detached, if the folder is safe."""
    folder = runtime_folder()
    if not private_folder(folder, create=True) or _server_starting_or_running(folder):
        return
    devnull = os.devnull
    streams = [
        (os.POSIX_SPAWN_OPEN, 0, devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, devnull, os.O_WRONLY, 0),
    ]
    command = [sys.executable, "-P", "-m", "synthesist.cli.command_server", "--folder", folder]
    try:  # its own session: no terminal, and the terminal's Ctrl-C never reaches it
        os.posix_spawn(sys.executable, command, os.environ, file_actions=streams, setsid=True)
    except OSError:
        return  # no server this time: commands still run, in-process


def _server_wanted(args: Sequence[str]) -> bool:
    return (
        not os.environ.get(NO_SERVER_ENV)
        and server_supported()
        and eligible(args)
        and hasattr(os, "posix_spawn")
    )


def main() -> None:
    """The console script."""
    argv = list(sys.argv)
    wanted = _server_wanted(argv[1:])
    if wanted:
        code = run_through_server(argv)
        if code is not None:
            sys.exit(code)
    from synthesist.cli.main import run

    try:
        run()
    finally:
        if wanted:  # after the command, so that starting the server does not slow this one down
            start_server()


if __name__ == "__main__":
    main()
