"""Reading a PDF's text in a child process that can be stopped, with a memory ceiling.

Checking the time between pages (:class:`~synthesist.file_limits.TimeBudget`) is not enough: one page
can draw a small form object a million times, so a 20 KB file holds one page whose text takes hours
and gigabytes to extract, and pypdf cannot be interrupted inside a page from another thread. So the
text is read in a child process: the parent waits ``pdf_text_seconds`` (plus a moment to start) and
kills it past that; the child limits its own address space to ``pdf_memory_mb``, so an expanding page
ends in a MemoryError there instead of swapping the server. Either way the caller gets an
:class:`~synthesist.errors.ImportFileError` naming the file and the limit, and nothing is stored.

Children are forked from a small fork server that has already imported pypdf (where the platform
has one; elsewhere spawned), so a report costs a few milliseconds more, not an interpreter start.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from synthesist import errors
from synthesist.file_limits import FileLimits, limit_refusal

__all__ = ["read_pdf_pages"]

# Time for the child to start; then the extraction budget, which the child keeps itself between
# pages (so a refusal says after how many pages it stopped), and a margin for it to answer.
_START_SECONDS = 30.0
_MARGIN_SECONDS = 1.0
_context: BaseContext | None = None


def _process_context() -> BaseContext:
    global _context
    if _context is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["synthesist.fulltext.pdf_text", "pypdf"])
            _context = context
        else:
            _context = multiprocessing.get_context("spawn")
    return _context


def read_pdf_pages(path: Path, limits: FileLimits) -> list[str]:
    """The text of each page of the PDF at ``path``, read in a child process within ``limits``."""
    context = _process_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(  # type: ignore[attr-defined]  # every context has Process
        target=_read_in_child, args=(str(path), limits, sender), daemon=True
    )
    child.start()
    sender.close()
    try:
        # the budget counts from the child's start (a busy machine may take a while to fork it)
        started = receiver.poll(_START_SECONDS) and receiver.recv() == ("started",)
        if not started or not receiver.poll(limits.pdf_text_seconds + _MARGIN_SECONDS):
            raise limit_refusal(
                path.name,
                f"reading its text took longer than {limits.pdf_text_seconds:g} s (stopped inside one page)",
                "pdf_text_seconds",
                limits.pdf_text_seconds,
            )
        answer = receiver.recv()
    except EOFError:  # the child ended without an answer
        child.join(5)
        raise errors.UserError(
            f"{path.name}: reading the PDF's text stopped unexpectedly (exit code {child.exitcode})",
            hint=f"The file may be damaged or built to exhaust memory (limits.pdf_memory_mb = "
            f"{limits.pdf_memory_mb}). Re-save it in a PDF reader and attach it again.",
        ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    return _unpack(answer, path, limits)


def _unpack(answer: tuple[Any, ...], path: Path, limits: FileLimits) -> list[str]:
    kind = answer[0]
    if kind == "pages":
        pages: list[str] = answer[1]
        return pages
    if kind == "memory":
        raise limit_refusal(
            path.name,
            f"reading its text needs more than {limits.pdf_memory_mb:,} MB of memory",
            "pdf_memory_mb",
            limits.pdf_memory_mb,
        )
    _, class_name, message, hint = answer
    error_class = getattr(errors, class_name, errors.UserError)
    if not (isinstance(error_class, type) and issubclass(error_class, errors.UserError)):
        error_class = errors.UserError
    raise error_class(message, hint=hint)


def _read_in_child(path: str, limits: FileLimits, sender: multiprocessing.connection.Connection) -> None:
    from synthesist.fulltext.pdf_text import pdf_pages_here

    _limit_memory(limits.pdf_memory_mb)
    sender.send(("started",))
    answer: tuple[Any, ...]
    try:
        answer = ("pages", pdf_pages_here(Path(path), limits))
    except MemoryError:
        answer = ("memory",)
    except errors.UserError as error:
        answer = ("refused", type(error).__name__, error.message, error.hint)
    try:
        sender.send(answer)
    except MemoryError:  # the pages were read but are too large to send within the limit
        sender.send(("memory",))
    sender.close()


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the time limit still holds
        return
    ceiling = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
